//! OpenSSH's wildcard patterns (match.c): `*` and `?` in `match_pattern`,
//! comma-separated lists with `!` negation in `match_pattern_list`.
//!
//! Both work on bytes, as the C code does on `char`s, and never allocate a
//! subpattern longer than OpenSSH's 1023-byte buffer would hold.

/// The size of OpenSSH's subpattern buffer; a subpattern that fills it
/// makes the whole list fail.
const SUB_MAX: usize = 1024;

/// Returns whether `s` matches `pattern`, where `*` matches any run of
/// bytes and `?` any one byte.
///
/// OpenSSH recurses at each `*`, which takes exponential time on hostile
/// patterns; backtracking only to the last `*` accepts the same strings in
/// O(len(s) * len(pattern)).
pub fn match_pattern(s: &[u8], pattern: &[u8]) -> bool {
    let (mut si, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match pattern.get(pi) {
            Some(b'*') => {
                pi += 1;
                star = Some((pi, si));
            }
            Some(&p) if p == b'?' || p == s[si] => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some((p, s_at)) => {
                    pi = p;
                    si = s_at + 1;
                    star = Some((p, s_at + 1));
                }
                None => return false,
            },
        }
    }
    pattern[pi..].iter().all(|&c| c == b'*')
}

/// Matches `string` against a comma-separated `list` as OpenSSH's
/// `match_pattern_list` does: 1 for a positive match and no negated one,
/// -1 as soon as a `!`-negated subpattern matches, 0 otherwise (also when
/// a subpattern is 1023 bytes or longer).
pub fn match_pattern_list(string: &[u8], list: &[u8]) -> i32 {
    let mut got_positive = false;
    let mut i = 0;
    while i < list.len() {
        let negated = list[i] == b'!';
        if negated {
            i += 1;
        }
        let start = i;
        while i < list.len() && i - start < SUB_MAX - 1 && list[i] != b',' {
            i += 1;
        }
        let sub = &list[start..i];
        if sub.len() >= SUB_MAX - 1 {
            return 0;
        }
        if i < list.len() && list[i] == b',' {
            i += 1;
        }
        if match_pattern(string, sub) {
            if negated {
                return -1;
            }
            got_positive = true;
        }
    }
    i32::from(got_positive)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str, l: &str) -> i32 {
        match_pattern_list(s.as_bytes(), l.as_bytes())
    }

    #[test]
    fn wildcards_match_runs_and_single_bytes() {
        assert!(match_pattern(b"office", b"off*"));
        assert!(match_pattern(b"office", b"?ffice"));
        assert!(match_pattern(b"office", b"*"));
        assert!(match_pattern(b"office", b"o**e"));
        assert!(match_pattern(b"", b"*"));
        assert!(!match_pattern(b"office", b"?office"));
        assert!(!match_pattern(b"office", b"offic"));
        assert!(!match_pattern(b"", b"?"));
        assert!(match_pattern(b"aXbYc", b"a*b*c"));
        assert!(!match_pattern(b"aXbYd", b"a*b*c"));
    }

    #[test]
    fn lists_need_a_positive_match_and_no_negated_one() {
        assert_eq!(list("office", "a,office"), 1);
        assert_eq!(list("office", "a,b"), 0);
        assert_eq!(list("office", "!office,*"), -1);
        assert_eq!(list("other", "!office,*"), 1);
        assert_eq!(list("other", "!office"), 0);
        assert_eq!(list("office", "*,!office"), -1);
        assert_eq!(list("", ""), 0);
        assert_eq!(list("", ","), 1);
        assert_eq!(list("a", "a,"), 1);
    }

    #[test]
    fn a_subpattern_of_1023_bytes_fails_the_list() {
        let long = "x".repeat(1022);
        assert_eq!(list(&long, &long), 1);
        let longer = "x".repeat(1023);
        assert_eq!(list(&longer, &format!("{longer},*")), 0);
        assert_eq!(list("a", &format!("a,{longer}")), 0);
    }
}
