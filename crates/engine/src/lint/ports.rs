//! `EXPOSE` port specifications (`[ip:][host:]port[-end][/proto]`) as
//! BuildKit's `convert_expose.go` reads them: what its two checks look at
//! and the errors it gives.

/// What one port specification says, for the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    /// The protocol as written (`tcp` when none was).
    pub proto: String,
    /// An IP address was given.
    pub has_ip: bool,
    /// A host port was given.
    pub has_host_port: bool,
}

/// Splits `raw` like BuildKit's `splitParts` and `splitProtoPort`; an error
/// for a missing port or an unknown protocol.
pub fn split(raw: &str) -> Result<(PortSpec, String, String, String), String> {
    let parts: Vec<&str> = raw.split(':').collect();
    let (ip, host, container) = match parts.len() {
        1 => (String::new(), String::new(), parts[0].to_string()),
        2 => (String::new(), parts[0].to_string(), parts[1].to_string()),
        3 => (
            parts[0].to_string(),
            parts[1].to_string(),
            parts[2].to_string(),
        ),
        n => (
            parts[..n - 2].join(":"),
            parts[n - 2].to_string(),
            parts[n - 1].to_string(),
        ),
    };
    let (port, proto) = container.split_once('/').unwrap_or((&container, ""));
    let quoted = layerlab_syntax::go_quote(raw);
    if port.is_empty() {
        return Err(format!("invalid port: {quoted}: no port specified"));
    }
    let proto = match proto.to_lowercase().as_str() {
        "" => "tcp".to_string(),
        "tcp" | "udp" | "sctp" => proto.to_string(),
        _ => return Err(format!("invalid port: {quoted}: invalid proto: {proto}")),
    };
    Ok((
        PortSpec {
            proto,
            has_ip: !ip.is_empty(),
            has_host_port: !host.is_empty(),
        },
        ip,
        host,
        port.to_string(),
    ))
}

/// The rest of `parsePort`'s validation, after the checks ran: the IP
/// address and the port ranges.
pub fn validate(ip: &str, host: &str, container: &str) -> Result<(), String> {
    let mut ip = ip.to_string();
    if ip.starts_with('[') {
        match ip.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(inner) => ip = inner.to_string(),
            None => return Err(format!("invalid IP address {ip}")),
        }
    }
    if !ip.is_empty() && !is_ip(&ip) {
        return Err(format!("invalid IP address: {ip}"));
    }
    let Ok((start, end)) = port_range(container) else {
        return Err(format!("invalid containerPort: {container}"));
    };
    if !host.is_empty() {
        let Ok((hs, he)) = port_range(host) else {
            return Err(format!("invalid hostPort: {host}"));
        };
        if end - start != he - hs && end != start {
            return Err(format!(
                "invalid ranges specified for container and host Ports: {container} and {host}"
            ));
        }
    }
    Ok(())
}

fn port_range(s: &str) -> Result<(i64, i64), ()> {
    if s.is_empty() {
        return Err(());
    }
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let start = port_number(a)?;
    match b {
        None => Ok((start, start)),
        Some(b) if b == a => Ok((start, start)),
        Some(b) => {
            let end = port_number(b)?;
            if end < start {
                return Err(());
            }
            Ok((start, end))
        }
    }
}

fn port_number(s: &str) -> Result<i64, ()> {
    // strconv.ParseInt(s, 10, 0): optional sign, decimal digits.
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(());
    }
    let n: i64 = s.parse().map_err(|_| ())?;
    if !(0..=65535).contains(&n) {
        return Err(());
    }
    Ok(n)
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_validates() {
        let Ok((spec, ip, host, port)) = split("127.0.0.1:8080:80/TCP") else {
            panic!("split failed")
        };
        assert_eq!(spec.proto, "TCP");
        assert!(spec.has_ip && spec.has_host_port);
        assert_eq!(validate(&ip, &host, &port), Ok(()));
        assert!(split("80/foo").is_err());
        assert!(validate("", "", "abc").is_err());
        assert_eq!(validate("", "", "8000-8010"), Ok(()));
    }
}
