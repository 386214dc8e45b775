//! Natural order of names, as Finder and Explorer sort them: runs of digits compare as numbers
//! (`notes-2` before `notes-10`), letters without regard to case or accents (`é` with `e`).
//! SQLite sorts with this function (registered as the `gosync_natural` collation on every
//! connection); PostgreSQL with an ICU collation of the same name that does the same, made by
//! a migration. Zips list their entries in this order too.

use std::{cmp::Ordering, iter::Peekable, str::Chars};

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// The collation's name in both databases.
pub const COLLATION: &str = "gosync_natural";

/// `a` against `b` in natural order; names equal but for case or accents fall back to their
/// plain order, so that the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    compare_folded(a, b).then_with(|| a.cmp(b))
}

fn compare_folded(a: &str, b: &str) -> Ordering {
    let a: String = fold(a);
    let b: String = fold(b);
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let order = compare_numbers(&mut a, &mut b);
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return (class(x), x).cmp(&(class(y), y));
                }
                a.next();
                b.next();
            }
        }
    }
}

/// Spaces and punctuation sort before digits, digits before letters (as ICU and Finder do).
fn class(c: char) -> u8 {
    if c.is_ascii_digit() {
        1
    } else if c.is_alphanumeric() {
        2
    } else {
        0
    }
}

/// Lower case, accents taken off (decomposed, combining marks dropped).
fn fold(name: &str) -> String {
    name.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Compares the digit runs at the front of `a` and `b` by value (leading zeros aside), and
/// consumes them.
fn compare_numbers(a: &mut Peekable<Chars>, b: &mut Peekable<Chars>) -> Ordering {
    let x = digits(a);
    let y = digits(b);
    let (xs, ys) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
    // Equal values (`007`, `7`) are equal here: the plain order of the whole names decides,
    // as PostgreSQL's tie-break does.
    xs.len().cmp(&ys.len()).then_with(|| xs.cmp(ys))
}

fn digits(chars: &mut Peekable<Chars>) -> String {
    let mut run = String::new();
    while let Some(d) = chars.next_if(char::is_ascii_digit) {
        run.push(d);
    }
    run
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        names.sort_by(|a, b| natural_cmp(a, b));
        names
    }

    #[test]
    fn numbers_sort_by_value() {
        assert_eq!(
            sorted(&["notes-10", "notes-2", "notes-1", "notes-100", "notes-02"]),
            ["notes-1", "notes-02", "notes-2", "notes-10", "notes-100"]
        );
        assert_eq!(
            sorted(&["v1.10.txt", "v1.9.txt", "v1.2.txt"]),
            ["v1.2.txt", "v1.9.txt", "v1.10.txt"]
        );
        assert_eq!(
            sorted(&["IMG_99999999999999999999.jpg", "IMG_3.jpg"]),
            ["IMG_3.jpg", "IMG_99999999999999999999.jpg"]
        );
    }

    #[test]
    fn case_and_accents_do_not_separate_names() {
        assert_eq!(
            sorted(&["b.txt", "Zeta", "alpha", "Émile", "eve", "Beta"]),
            ["alpha", "b.txt", "Beta", "Émile", "eve", "Zeta"]
        );
        // Punctuation before digits, digits before letters.
        assert_eq!(
            sorted(&["a1", "ab", "a_b", "a b"]),
            ["a b", "a_b", "a1", "ab"]
        );
        // Equal but for case: a stable, total order all the same.
        assert_eq!(sorted(&["a", "A"]), ["A", "a"]);
    }
}
