using System.Runtime.InteropServices;

var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseStaticFiles();

app.MapGet("/", () => Results.Content($"""
    <!doctype html>
    <html lang="en">
    <head>
      <meta charset="utf-8">
      <title>aspnetapp</title>
      <link rel="stylesheet" href="/css/site.css">
    </head>
    <body>
      <main>
        <h1>Welcome to .NET</h1>
        <p>{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}</p>
        <p>Host: {Environment.MachineName}</p>
      </main>
    </body>
    </html>
    """, "text/html"));

app.MapGet("/environment", () => new
{
    runtimeVersion = RuntimeInformation.FrameworkDescription,
    osVersion = RuntimeInformation.OSDescription,
    osArchitecture = RuntimeInformation.OSArchitecture.ToString(),
    user = Environment.UserName,
    processorCount = Environment.ProcessorCount,
    totalAvailableMemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
    hostName = Environment.MachineName,
});

app.Run();
