use layerlab_engine::context::Context;
use layerlab_engine::docker::build::{render_plain, report_json, run, BuildCommand};
use layerlab_engine::state::State;

#[test]
fn show() {
    let root = layerlab_tests::root().join("static/samples/aspnetapp");
    let mut ctx = Context::new();
    for e in walk(&root) {
        let rel = e.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        ctx.insert_file(&rel, std::fs::read(&e).unwrap(), 0o644).unwrap();
    }
    let mut st = State::new();
    let cmd = BuildCommand::parse(&["build", "-t", "aspnetapp", "."]).unwrap();
    let df = String::from_utf8_lossy(ctx.read("Dockerfile").unwrap()).into_owned();
    let r = run(&cmd, &ctx, None, &mut st);
    println!("{}", render_plain(&r, Some(&df)));
    ctx.insert_file("aspnetapp/Program.cs", b"// edit\n".to_vec(), 0o644).unwrap();
    let r = run(&cmd, &ctx, None, &mut st);
    println!("{}", render_plain(&r, Some(&df)));
    println!("{}", serde_json::to_string_pretty(&report_json(&r)).unwrap());
    let bad = "FROM alpine:3.20\nRUN echo hi\nRUN cat /nope\nRUN echo x\n";
    let mut c2 = Context::new();
    c2.insert_file("Dockerfile", bad, 0o644).unwrap();
    let r = run(&BuildCommand::parse(&["build", "."]).unwrap(), &c2, None, &mut st);
    println!("{}", render_plain(&r, Some(bad)));
    println!("state json bytes: {}", serde_json::to_string(&st).unwrap().len());
}

fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(p).unwrap() {
        let e = e.unwrap().path();
        if e.is_dir() { out.extend(walk(&e)); } else { out.push(e); }
    }
    out
}

#[test]
fn timing() {
    let root = layerlab_tests::root().join("static/samples/aspnetapp");
    let mut ctx = Context::new();
    for e in walk(&root) {
        let rel = e.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
        ctx.insert_file(&rel, std::fs::read(&e).unwrap(), 0o644).unwrap();
    }
    let mut st = State::new();
    let cmd = BuildCommand::parse(&["build", "-t", "aspnetapp", "."]).unwrap();
    run(&cmd, &ctx, None, &mut st);
    let t = std::time::Instant::now();
    let n = 200;
    for k in 0..n {
        ctx.insert_file("aspnetapp/Program.cs", format!("// edit {k}\n").into_bytes(), 0o644).unwrap();
        let r = run(&cmd, &ctx, None, &mut st);
        assert!(r.error.is_none());
    }
    println!("per rebuild: {:?} (records {})", t.elapsed() / n, st.cache.records.len());
    let mut st2 = State::new();
    run(&cmd, &ctx, None, &mut st2);
    let t = std::time::Instant::now();
    for k in 0..n {
        let mut s3 = st2.clone();
        ctx.insert_file("aspnetapp/Program.cs", format!("// edit {k}\n").into_bytes(), 0o644).unwrap();
        let r = run(&cmd, &ctx, None, &mut s3);
        assert!(r.error.is_none());
    }
    println!("per rebuild small cache (incl clone): {:?}", t.elapsed() / n);
}
