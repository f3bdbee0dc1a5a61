//! BuildKit's `util/suggest.Search`: the closest option within a
//! Levenshtein distance below 3 (on characters, unit costs), first found
//! winning ties; an exact match means no suggestion.

/// The option closest to `val`, if any is close enough.
pub fn search<'a, I>(val: &str, options: I, case_sensitive: bool) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let v = if case_sensitive {
        val.to_string()
    } else {
        val.to_lowercase()
    };
    let mut best: Option<String> = None;
    let mut min = 3;
    for opt in options {
        let o = if case_sensitive {
            opt.to_string()
        } else {
            opt.to_lowercase()
        };
        if v == o {
            return None;
        }
        let d = distance(&v, &o);
        if d < min {
            best = Some(if case_sensitive {
                o
            } else {
                match_case(&o, val)
            });
            min = d;
        }
    }
    best
}

fn match_case(val: &str, orig: &str) -> String {
    if orig == orig.to_lowercase() {
        val.to_lowercase()
    } else if orig == orig.to_uppercase() {
        val.to_uppercase()
    } else {
        val.to_string()
    }
}

/// Levenshtein distance on characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() {
        return b.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            search("VERSOIN", ["PATH", "VERSION"], true),
            Some("VERSION".into())
        );
        assert_eq!(search("TGA", ["TAG"], true), Some("TAG".into()));
        assert_eq!(search("FOO", ["BAR"], true), None);
        assert_eq!(search("FOO", ["FOO", "FO"], true), None);
        assert_eq!(search("runn", ["RUN", "FROM"], false), Some("run".into()));
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
