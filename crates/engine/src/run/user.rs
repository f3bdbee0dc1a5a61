//! The process user: `USER` / `-u` resolved against the image's
//! `/etc/passwd` and `/etc/group` as runc does (moby/sys/user
//! `GetExecUser`): names must exist, numeric IDs need not, `user:group`
//! overrides the primary group, and supplementary groups come from the
//! group file's member lists.

use serde::Serialize;

/// The resolved user of a process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessUser {
    /// The spec as given (`-u` or the image's USER), empty for the default.
    pub spec: String,
    /// The user name from /etc/passwd, `None` for a UID with no entry.
    pub name: Option<String>,
    /// UID.
    pub uid: u32,
    /// Primary GID.
    pub gid: u32,
    /// Primary group name, `None` when the GID has no /etc/group entry.
    pub group: Option<String>,
    /// Supplementary GIDs (from the group file's member lists), in file order.
    pub supplementary_gids: Vec<u32>,
    /// Home directory (from /etc/passwd, `/` when there is no entry), used
    /// for `HOME` when the environment does not set it.
    pub home: String,
}

impl ProcessUser {
    /// The default user: root, as Docker runs a container without USER.
    pub fn root() -> Self {
        ProcessUser {
            spec: String::new(),
            name: Some("root".into()),
            uid: 0,
            gid: 0,
            group: Some("root".into()),
            supplementary_gids: Vec::new(),
            home: "/root".into(),
        }
    }

    /// `root`, `app`, or the UID when there is no name (as `ps` shows it).
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.uid.to_string())
    }
}

/// One /etc/passwd entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    /// Login name.
    pub name: String,
    /// UID.
    pub uid: i64,
    /// Primary GID.
    pub gid: i64,
    /// Home directory.
    pub home: String,
    /// Login shell.
    pub shell: String,
}

/// One /etc/group entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    /// Group name.
    pub name: String,
    /// GID.
    pub gid: i64,
    /// Member user names.
    pub members: Vec<String>,
}

/// Go's `strconv.Atoi` with errors ignored (0), as moby/sys/user does for
/// misbehaving files.
fn lenient_int(s: &str) -> i64 {
    super::goutil::atoi(s).unwrap_or(0)
}

/// Parses /etc/passwd content (blank lines skipped, short lines tolerated).
pub fn parse_passwd(content: &str) -> Vec<PasswdEntry> {
    content
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            PasswdEntry {
                name: get(0).to_string(),
                uid: lenient_int(get(2)),
                gid: lenient_int(get(3)),
                home: get(5).to_string(),
                shell: get(6).to_string(),
            }
        })
        .collect()
}

/// Parses /etc/group content.
pub fn parse_group(content: &str) -> Vec<GroupEntry> {
    content
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            let members = get(3);
            GroupEntry {
                name: get(0).to_string(),
                gid: lenient_int(get(2)),
                members: if members.is_empty() {
                    Vec::new()
                } else {
                    members.split(',').map(str::to_string).collect()
                },
            }
        })
        .collect()
}

const MAX_ID: i64 = (1 << 31) - 1;

/// moby/sys/user `parseNumeric`: `(value, is_numeric)`, or the range error.
fn parse_numeric(val: &str) -> Result<(i64, bool), String> {
    if val.is_empty() {
        return Ok((0, false));
    }
    match super::goutil::parse_int_decimal(val) {
        Ok(id) if (0..=MAX_ID).contains(&id) => Ok((id, true)),
        Ok(_) | Err("value out of range") => {
            Err(format!("uids and gids must be in range 0-{MAX_ID}"))
        }
        Err(_) => Ok((0, false)),
    }
}

fn to_u32(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

/// Resolves a user spec (`""`, `app`, `1000`, `app:staff`, `1000:1000`)
/// against /etc/passwd and /etc/group content (`None`: the file does not
/// exist in the image). The error is the daemon's text, e.g.
/// `unable to find user app: no matching entries in passwd file`.
pub fn resolve_user(
    spec: &str,
    passwd: Option<&str>,
    group: Option<&str>,
) -> Result<ProcessUser, String> {
    // parseLine splits on ':' and takes the first two fields.
    let mut fields = spec.split(':');
    let user_arg = fields.next().unwrap_or("");
    let group_arg = fields.next().unwrap_or("");
    let (uid_arg, is_uid) = parse_numeric(user_arg)?;
    let (gid_arg, is_gid) = parse_numeric(group_arg)?;

    let users = passwd.map(parse_passwd).unwrap_or_default();
    let matched = users.iter().find(|u| {
        if user_arg.is_empty() {
            u.uid == 0
        } else if is_uid {
            u.uid == uid_arg
        } else {
            u.name == user_arg
        }
    });

    let mut uid = 0i64;
    let mut gid = 0i64;
    let mut home = "/".to_string();
    let mut name = None;
    match matched {
        Some(u) => {
            uid = u.uid;
            gid = u.gid;
            home = u.home.clone();
            name = Some(u.name.clone());
        }
        None if !user_arg.is_empty() => {
            if !is_uid {
                return Err(format!(
                    "unable to find user {user_arg}: no matching entries in passwd file"
                ));
            }
            uid = uid_arg;
        }
        None => {}
    }

    let groups = group.map(parse_group).unwrap_or_default();
    let mut supplementary = Vec::new();
    if !group_arg.is_empty() {
        let found = groups.iter().find(|g| {
            if is_gid {
                g.gid == gid_arg
            } else {
                g.name == group_arg
            }
        });
        match found {
            Some(g) => gid = g.gid,
            None if is_gid => gid = gid_arg,
            None => {
                return Err(format!(
                    "unable to find group {group_arg}: no matching entries in group file"
                ))
            }
        }
    } else if let Some(n) = &name {
        supplementary = groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m == n))
            .map(|g| to_u32(g.gid))
            .collect();
    }
    let group_name = groups.iter().find(|g| g.gid == gid).map(|g| g.name.clone());
    Ok(ProcessUser {
        spec: spec.to_string(),
        name,
        uid: to_u32(uid),
        gid: to_u32(gid),
        group: group_name,
        supplementary_gids: supplementary,
        home,
    })
}

/// The name of `uid` in passwd content, if any.
pub fn user_name(passwd: Option<&str>, uid: u32) -> Option<String> {
    passwd
        .map(parse_passwd)
        .unwrap_or_default()
        .into_iter()
        .find(|u| u.uid == i64::from(uid))
        .map(|u| u.name)
}

/// The name of `gid` in group content, if any.
pub fn group_name(group: Option<&str>, gid: u32) -> Option<String> {
    group
        .map(parse_group)
        .unwrap_or_default()
        .into_iter()
        .find(|g| g.gid == i64::from(gid))
        .map(|g| g.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
app:x:1654:1654::/home/app:/bin/sh\n";
    const GROUP: &str = "root:x:0:\ndaemon:x:1:\nstaff:x:50:app\napp:x:1654:\n";

    fn check(spec: &str, expected: &str) {
        let got = match resolve_user(spec, Some(PASSWD), Some(GROUP)) {
            Ok(u) => format!(
                "name={} uid={} gid={} group={} sgids={:?} home={}",
                u.name.as_deref().unwrap_or("-"),
                u.uid,
                u.gid,
                u.group.as_deref().unwrap_or("-"),
                u.supplementary_gids,
                u.home
            ),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got, expected, "for {spec:?}");
    }

    #[test]
    fn resolves_like_runc() {
        check("", "name=root uid=0 gid=0 group=root sgids=[] home=/root");
        check(
            "root",
            "name=root uid=0 gid=0 group=root sgids=[] home=/root",
        );
        check(
            "app",
            "name=app uid=1654 gid=1654 group=app sgids=[50] home=/home/app",
        );
        check(
            "1654",
            "name=app uid=1654 gid=1654 group=app sgids=[50] home=/home/app",
        );
        check("1000", "name=- uid=1000 gid=0 group=root sgids=[] home=/");
        check(
            "1000:1000",
            "name=- uid=1000 gid=1000 group=- sgids=[] home=/",
        );
        check(
            "app:staff",
            "name=app uid=1654 gid=50 group=staff sgids=[] home=/home/app",
        );
        check(
            "app:0",
            "name=app uid=1654 gid=0 group=root sgids=[] home=/home/app",
        );
        check(
            "nobody",
            "error: unable to find user nobody: no matching entries in passwd file",
        );
        check(
            "app:nogroup",
            "error: unable to find group nogroup: no matching entries in group file",
        );
        check(
            "99999999999",
            "error: uids and gids must be in range 0-2147483647",
        );
    }

    #[test]
    fn missing_files() {
        let u = resolve_user("1000", None, None);
        assert_eq!(u.map(|u| (u.uid, u.home)), Ok((1000, "/".to_string())));
        assert_eq!(
            resolve_user("app", None, None),
            Err("unable to find user app: no matching entries in passwd file".into())
        );
        // No passwd at all (scratch images): root by number, no name.
        assert_eq!(resolve_user("", None, None).map(|u| u.name), Ok(None));
    }
}
