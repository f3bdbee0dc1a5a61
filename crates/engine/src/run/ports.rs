//! `-p/--publish` and `--expose` specs, parsed as docker/cli does
//! (`convertToStandardNotation`, then go-connections `nat.ParsePortSpec`):
//! `8080`, `5000:8080`, `127.0.0.1:5000:8080/tcp`, `[::1]:80:80`,
//! `5000-5001:8080-8081`, `5000-5010:8080` (a host range to pick from),
//! `:8080`, `53:53/udp`, and the long form `published=5000,target=8080`.

use serde::Serialize;

use super::goutil::is_ip;

/// A transport protocol of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// TCP (the default).
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// `tcp`, `udp` or `sctp`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }

    fn parse(s: &str) -> Result<Self, String> {
        match s {
            "tcp" => Ok(Protocol::Tcp),
            "udp" => Ok(Protocol::Udp),
            "sctp" => Ok(Protocol::Sctp),
            _ => Err(format!("invalid proto: {s}")),
        }
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One requested port publication (a range spec yields one per port).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishSpec {
    /// The `-p` value as written.
    pub raw: String,
    /// Host IP as written (brackets removed), empty for all interfaces.
    pub host_ip: String,
    /// Host port range to bind, `None` for an ephemeral port. A single
    /// port is `(p, p)`; a range given for one container port means
    /// "the first free port in this range".
    pub host_ports: Option<(u16, u16)>,
    /// Container port.
    pub container_port: u16,
    /// Protocol.
    pub protocol: Protocol,
}

fn parse_port_number(raw: &str) -> Result<u16, String> {
    if raw.is_empty() {
        return Err("value is empty".into());
    }
    let n = super::goutil::parse_int_decimal(raw).map_err(str::to_string)?;
    u16::try_from(n).map_err(|_| "value out of range (0–65535)".to_string())
}

/// go-connections `parsePortRange`: `80` or `8000-9000`.
pub(crate) fn parse_port_range(ports: &str) -> Result<(u16, u16), String> {
    if ports.is_empty() {
        return Err("empty string specified for ports".into());
    }
    let (start, end) = match ports.split_once('-') {
        Some((s, e)) => (s, Some(e)),
        None => (ports, None),
    };
    let start_port =
        parse_port_number(start).map_err(|e| format!("invalid start port '{start}': {e}"))?;
    let Some(end) = end.filter(|e| *e != start) else {
        return Ok((start_port, start_port));
    };
    let end_port = parse_port_number(end).map_err(|e| format!("invalid end port '{end}': {e}"))?;
    if end_port < start_port {
        return Err(format!("invalid port range: {ports}"));
    }
    Ok((start_port, end_port))
}

/// docker/cli `convertToStandardNotation`: the long `-p` syntax.
fn to_standard_notation(publish: &str) -> Result<String, String> {
    if !publish.contains('=') {
        return Ok(publish.to_string());
    }
    let mut published = "";
    let mut target = "";
    let mut protocol = "tcp";
    for param in publish.split(',') {
        match param.split_once('=') {
            Some((k, v)) if !k.is_empty() => match k {
                "published" => published = v,
                "target" => target = v,
                "protocol" => protocol = v,
                _ => {}
            },
            _ => {
                return Err(format!(
                    "invalid publish opts format (should be name=value but got '{param}')"
                ))
            }
        }
    }
    Ok(format!("{published}:{target}/{protocol}"))
}

/// Go's `net.SplitHostPort(ip + ":")` for a bracketed host: the host, or
/// the `AddrError` text.
fn split_bracketed_host(ip: &str) -> Result<String, String> {
    let hostport = format!("{ip}:");
    let err = |why: &str| format!("address {hostport}: {why}");
    let last = hostport.rfind(':').unwrap_or(0);
    let Some(end) = hostport.find(']') else {
        return Err(err("missing ']' in address"));
    };
    if end + 1 == hostport.len() {
        return Err(err("missing port in address"));
    }
    if end + 1 != last {
        if hostport.as_bytes()[end + 1] == b':' {
            return Err(err("too many colons in address"));
        }
        return Err(err("missing port in address"));
    }
    let host = &hostport[1..end];
    if hostport[1..].contains('[') {
        return Err(err("unexpected '[' in address"));
    }
    if hostport[end + 1..].contains(']') {
        return Err(err("unexpected ']' in address"));
    }
    Ok(host.to_string())
}

/// Parses one `-p` value into its mappings, with Docker's error messages.
pub fn parse_publish(raw: &str) -> Result<Vec<PublishSpec>, String> {
    let spec = to_standard_notation(raw)?;
    let parts: Vec<&str> = spec.split(':').collect();
    let (ip, host_port, container) = match parts.len() {
        1 => (String::new(), "", parts[0]),
        2 => (String::new(), parts[0], parts[1]),
        3 => (parts[0].to_string(), parts[1], parts[2]),
        n => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
    };
    let (container_port, proto) = match container.split_once('/') {
        Some((p, proto)) => (p, proto),
        None => (container, ""),
    };
    if container_port.is_empty() {
        return Err(format!("no port specified: {spec}<empty>"));
    }
    let proto = if proto.is_empty() {
        "tcp".to_string()
    } else {
        proto.to_lowercase()
    };
    let protocol = Protocol::parse(&proto)?;
    let mut ip = ip;
    if ip.starts_with('[') {
        ip = split_bracketed_host(&ip).map_err(|e| format!("invalid IP address {ip}: {e}"))?;
    }
    if !ip.is_empty() && !is_ip(&ip) {
        return Err(format!("invalid IP address: {ip}"));
    }
    let (start, end) = parse_port_range(container_port)
        .map_err(|_| format!("invalid containerPort: {container_port}"))?;
    let mut host_range = None;
    if !host_port.is_empty() {
        let (hs, he) =
            parse_port_range(host_port).map_err(|_| format!("invalid hostPort: {host_port}"))?;
        if end - start != he - hs && end != start {
            return Err(format!(
                "invalid ranges specified for container and host Ports: {container_port} and {host_port}"
            ));
        }
        host_range = Some((hs, he));
    }
    let count = u32::from(end - start) + 1;
    let mut out = Vec::new();
    for i in 0..count {
        let offset = u16::try_from(i).unwrap_or(0);
        let host_ports = host_range.map(|(hs, he)| {
            if count == 1 {
                (hs, he)
            } else {
                (hs + offset, hs + offset)
            }
        });
        out.push(PublishSpec {
            raw: raw.to_string(),
            host_ip: ip.clone(),
            host_ports,
            container_port: start + offset,
            protocol,
        });
    }
    Ok(out)
}

/// Parses one `--expose` value (`8080`, `8080/udp`, `7000-7002`).
pub fn parse_expose(raw: &str) -> Result<Vec<(u16, Protocol)>, String> {
    let wrap = |e: String| format!("invalid range format for --expose: {e}");
    if raw.is_empty() {
        return Err(wrap("invalid port range: value is empty".into()));
    }
    let (range, proto) = raw.split_once('/').unwrap_or((raw, ""));
    let (start, end) = match range.split_once('-') {
        Some((s, e)) => (s, Some(e)),
        None => (range, None),
    };
    let start_port =
        parse_port_number(start).map_err(|e| wrap(format!("invalid start port '{start}': {e}")))?;
    let end_port = match end {
        Some(e) => {
            parse_port_number(e).map_err(|err| wrap(format!("invalid end port '{e}': {err}")))?
        }
        None => start_port,
    };
    if end_port < start_port {
        return Err(wrap(format!("invalid port range: {range}")));
    }
    let protocol = match proto.to_lowercase().as_str() {
        "" | "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "sctp" => Protocol::Sctp,
        // The daemon's API type keeps unknown protocols; they can never
        // match a listener, so treat them as TCP-less noise.
        _ => Protocol::Tcp,
    };
    Ok((start_port..=end_port).map(|p| (p, protocol)).collect())
}

/// Parses an image config `ExposedPorts` key (`8080/tcp`, `53/udp`).
pub fn parse_exposed_key(key: &str) -> Option<(u16, Protocol)> {
    let (port, proto) = key.split_once('/').unwrap_or((key, "tcp"));
    let port: u16 = port.parse().ok()?;
    let proto = Protocol::parse(&proto.to_lowercase()).ok()?;
    Some((port, proto))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: &str) {
        let got = match parse_publish(raw) {
            Ok(specs) => specs
                .iter()
                .map(|s| {
                    let host = match s.host_ports {
                        None => String::from("*"),
                        Some((a, b)) if a == b => a.to_string(),
                        Some((a, b)) => format!("{a}-{b}"),
                    };
                    format!(
                        "[{}]:{}->{}/{}",
                        s.host_ip, host, s.container_port, s.protocol
                    )
                })
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got, expected, "for {raw}");
    }

    #[test]
    fn publish_forms() {
        check("5000:8080", "[]:5000->8080/tcp");
        check("8080", "[]:*->8080/tcp");
        check(":8080", "[]:*->8080/tcp");
        check("127.0.0.1:5000:8080/tcp", "[127.0.0.1]:5000->8080/tcp");
        check("127.0.0.1::8080", "[127.0.0.1]:*->8080/tcp");
        check("[::1]:80:80", "[::1]:80->80/tcp");
        check("::1:80:80", "[::1]:80->80/tcp");
        check("53:53/udp", "[]:53->53/udp");
        check("53:53/UDP", "[]:53->53/udp");
        check("9:9/sctp", "[]:9->9/sctp");
        check("5000-5001:8080-8081", "[]:5000->8080/tcp []:5001->8081/tcp");
        check("5000-5010:8080", "[]:5000-5010->8080/tcp");
        check("8080-8081", "[]:*->8080/tcp []:*->8081/tcp");
        check("published=5000,target=8080", "[]:5000->8080/tcp");
        check("published=5353,target=53,protocol=udp", "[]:5353->53/udp");
    }

    #[test]
    fn publish_errors() {
        check("5000:", "error: no port specified: 5000:<empty>");
        check("5000:8080/xyz", "error: invalid proto: xyz");
        check("5000:abc", "error: invalid containerPort: abc");
        check("abc:8080", "error: invalid hostPort: abc");
        check("70000:80", "error: invalid hostPort: 70000");
        check("5000:70000", "error: invalid containerPort: 70000");
        check("localhost:5000:80", "error: invalid IP address: localhost");
        check("1.2.3:5000:80", "error: invalid IP address: 1.2.3");
        check(
            "5000-5002:8080-8081",
            "error: invalid ranges specified for container and host Ports: 8080-8081 and 5000-5002",
        );
        check("8081-8080", "error: invalid containerPort: 8081-8080");
        check(
            "published=5000,bad",
            "error: invalid publish opts format (should be name=value but got 'bad')",
        );
        check("", "error: no port specified: <empty>");
    }

    #[test]
    fn expose_forms() {
        assert_eq!(parse_expose("8080"), Ok(vec![(8080, Protocol::Tcp)]));
        assert_eq!(
            parse_expose("7000-7001/udp"),
            Ok(vec![(7000, Protocol::Udp), (7001, Protocol::Udp)])
        );
        assert_eq!(
            parse_expose("x"),
            Err("invalid range format for --expose: invalid start port 'x': invalid syntax".into())
        );
        assert_eq!(parse_exposed_key("8080/tcp"), Some((8080, Protocol::Tcp)));
        assert_eq!(parse_exposed_key("53/udp"), Some((53, Protocol::Udp)));
    }
}
