//! The one place where spec text becomes a Rust identifier.
//!
//! A spec is untrusted input: names can be keywords (`type`, `match`), start
//! with a digit (`2fa`), hold characters Rust does not allow (`x-api-key`,
//! `a.b`, `名前`), be empty, or collide with each other once cased
//! (`fooBar` and `foo_bar`). Everything here is deterministic: the same input
//! in the same order always gives the same names.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

pub use crate::model::Name;

/// The casing an identifier gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: types.
    Type,
    /// `UpperCamelCase`: enum variants.
    Variant,
    /// `snake_case`: fields, functions, arguments, modules.
    Snake,
}

/// Strict and reserved keywords of every edition this crate targets, which
/// can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const SUFFIXED_KEYWORDS: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Turns arbitrary spec text into a valid identifier in the given case.
///
/// The result is either a plain identifier or a raw one (`r#type`); feed it
/// to [`to_ident`] to get a `proc_macro2::Ident`.
pub fn sanitize(raw: &str, case: Case) -> String {
    let words = ascii_words(raw);
    let cased = match case {
        Case::Type | Case::Variant => heck_case(&words, Casing::UpperCamel),
        Case::Snake => heck_case(&words, Casing::Snake),
    };
    let cased = if cased.is_empty() {
        match case {
            Case::Type => "Unnamed".to_owned(),
            Case::Variant => "Empty".to_owned(),
            Case::Snake => "unnamed".to_owned(),
        }
    } else {
        cased
    };
    // A leading digit is not allowed: prefix with a word that keeps the
    // casing idiomatic (`Value1080p`, `_2fa`).
    let cased = if cased.starts_with(|c: char| c.is_ascii_digit()) {
        match case {
            Case::Type => format!("Type{cased}"),
            Case::Variant => format!("Value{cased}"),
            Case::Snake => format!("_{cased}"),
        }
    } else {
        cased
    };
    if SUFFIXED_KEYWORDS.contains(&cased.as_str()) {
        format!("{cased}_")
    } else if RAW_KEYWORDS.contains(&cased.as_str()) {
        format!("r#{cased}")
    } else {
        cased
    }
}

/// The two casings of `heck` that identifiers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Casing {
    UpperCamel,
    Snake,
}

/// `text` in `casing`, exactly as `heck` writes it: `heck`'s own words
/// and casing for ASCII text (what [`ascii_words`] makes), written straight
/// into a `String` (`heck` formats each character through `fmt`, a
/// hundred times slower, and lowering names thousands of things); `heck`
/// itself for anything else.
fn heck_case(text: &str, casing: Casing) -> String {
    if !text.is_ascii() {
        return match casing {
            Casing::UpperCamel => text.to_upper_camel_case(),
            Casing::Snake => text.to_snake_case(),
        };
    }
    /// The case of the last cased character of the current word.
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut push = |word: &str| match casing {
        Casing::UpperCamel => {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            }
        }
        Casing::Snake => {
            if !out.is_empty() {
                out.push('_');
            }
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
    };
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = word.as_bytes();
        let mut start = 0;
        let mut mode = Mode::Boundary;
        for (index, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(index + 1) else {
                push(&word[start..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lower
            } else if c.is_ascii_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_ascii_uppercase() {
                // `aB`: a word ends after the lowercase letter.
                push(&word[start..=index]);
                start = index + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                // `ABc`: a word ends before the last capital.
                push(&word[start..index]);
                start = index;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
    out
}

/// Maps spec text to ASCII words for `heck`: separators stay separators,
/// non-ASCII characters become `uXXXX` words, so that `café` and `cafe` stay
/// apart and nothing is silently dropped.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            // `-`, ` `, `.`, `/`, `$`, `@`, `_`... all become word breaks.
            out.push(' ');
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:04x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    // A sign before a number is part of the value (`-1` and `1` differ).
    let out = match raw.as_bytes() {
        [b'-', d, ..] if d.is_ascii_digit() => format!("minus {}", &out[1..]),
        [b'+', d, ..] if d.is_ascii_digit() => format!("plus {}", &out[1..]),
        _ => out,
    };
    // Symbol-only names (`+`, `>=`) would vanish; spell them out instead.
    if out.trim().is_empty() && !raw.is_empty() {
        return raw.chars().map(symbol_word).collect::<Vec<_>>().join(" ");
    }
    out
}

fn symbol_word(c: char) -> String {
    match c {
        '+' => "plus".into(),
        '-' => "minus".into(),
        '*' => "star".into(),
        '/' => "slash".into(),
        '<' => "lt".into(),
        '>' => "gt".into(),
        '=' => "eq".into(),
        '!' => "not".into(),
        '.' => "dot".into(),
        '_' => "underscore".into(),
        ' ' => "space".into(),
        c => format!("u{:04x}", c as u32),
    }
}

/// What can become a `proc_macro2::Ident`: a [`Name`] of the model, or the
/// text of a valid identifier (raw or not) fixed by the generator.
pub trait AsIdent {
    /// The identifier.
    fn to_ident(&self) -> proc_macro2::Ident;
}

impl AsIdent for Name {
    fn to_ident(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        if self.is_raw() {
            proc_macro2::Ident::new_raw(self.as_str(), span)
        } else {
            proc_macro2::Ident::new(self.as_str(), span)
        }
    }
}

impl AsIdent for str {
    fn to_ident(&self) -> proc_macro2::Ident {
        Name::from_source(self).to_ident()
    }
}

impl AsIdent for String {
    fn to_ident(&self) -> proc_macro2::Ident {
        self.as_str().to_ident()
    }
}

/// Builds a `proc_macro2::Ident` from a model [`Name`] or from a name made
/// by [`sanitize`] (or any valid identifier, raw or not).
pub fn to_ident(name: &(impl AsIdent + ?Sized)) -> proc_macro2::Ident {
    name.to_ident()
}

/// A scope in which names must be unique: the items of a module, the fields
/// of a struct, the variants of an enum, the methods of an impl.
///
/// A name already taken gets the smallest numeric suffix that is free
/// (`Call`, `Call2`, `Call3`; `id`, `id_2`), so the result depends only on
/// the order in which names are claimed.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: reserved.into_iter().map(unraw).collect(),
        }
    }

    /// Whether `name` (a Rust identifier, raw or not) is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&unraw(name))
    }

    /// Sanitizes `raw` in `case` and makes it unique in this scope.
    pub fn claim(&mut self, raw: &str, case: Case) -> Name {
        let base = sanitize(raw, case);
        self.claim_sanitized(base, case)
    }

    /// Makes an already valid identifier unique in this scope.
    pub fn claim_sanitized(&mut self, base: String, case: Case) -> Name {
        if self.taken.insert(unraw(&base)) {
            return Name::from_source(&base);
        }
        let mut stem = unraw(&base);
        // `Self_` (a suffixed keyword) numbers as `Self2`, not `Self_2`,
        // which would not be upper camel case.
        if matches!(case, Case::Type | Case::Variant) {
            stem = stem.trim_end_matches('_').to_owned();
        }
        let separator = match case {
            Case::Snake => "_",
            Case::Type | Case::Variant => "",
        };
        // Every identifier is finite and `taken` is finite, so this ends.
        let mut n = 2usize;
        loop {
            let candidate = format!("{stem}{separator}{n}");
            if self.taken.insert(candidate.clone()) {
                return Name::from_source(&candidate);
            }
            n += 1;
        }
    }
}

fn unraw(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heck_case_is_heck_s() {
        let mut texts: Vec<String> = [
            "",
            " ",
            "a",
            "A",
            "1",
            "fooBar",
            "FooBar",
            "HTTPServer",
            "getHTTPResponseCode",
            "v2Beta",
            "ABC",
            "aBC",
            "ABc",
            "a1B",
            "A1b",
            "snake_case_name",
            "  lead trail  ",
            "x-api-key",
            "u00e9 cafe",
            "Value1080p",
            "already_Snake_Case",
            "ID",
            "iD",
            "Id",
        ]
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
        // Every string of up to five characters from an alphabet that has
        // each kind of character heck tells apart.
        let alphabet = ['a', 'B', '7', ' ', 'z', 'Q'];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            frontier = frontier
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(frontier.iter().cloned());
        }
        texts.push("é, not ASCII: Ünïcode".to_owned());
        for text in &texts {
            assert_eq!(
                heck_case(text, Casing::UpperCamel),
                text.to_upper_camel_case(),
                "{text:?}"
            );
            assert_eq!(
                heck_case(text, Casing::Snake),
                text.to_snake_case(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_raw_keyword_becomes_a_raw_identifier_that_parses() {
        for keyword in RAW_KEYWORDS {
            let name = sanitize(keyword, Case::Snake);
            assert_eq!(name, format!("r#{keyword}"));
            let ident = to_ident(&name);
            syn::parse2::<syn::Ident>(quote::quote!(#ident))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn keywords_that_cannot_be_raw_get_a_suffix() {
        assert_eq!(sanitize("self", Case::Snake), "self_");
        assert_eq!(sanitize("super", Case::Snake), "super_");
        assert_eq!(sanitize("crate", Case::Snake), "crate_");
        assert_eq!(sanitize("Self", Case::Type), "Self_");
        assert_eq!(sanitize("self", Case::Type), "Self_");
    }

    #[test]
    fn casing_follows_rust_conventions() {
        assert_eq!(
            sanitize("x-organization-id", Case::Snake),
            "x_organization_id"
        );
        assert_eq!(sanitize("phone_number_id", Case::Snake), "phone_number_id");
        assert_eq!(sanitize("listCalls", Case::Snake), "list_calls");
        assert_eq!(
            sanitize("CallsListResponse", Case::Type),
            "CallsListResponse"
        );
        assert_eq!(sanitize("in_progress", Case::Variant), "InProgress");
        assert_eq!(sanitize("a b.c/d", Case::Type), "ABCD");
    }

    #[test]
    fn leading_digits_empty_and_symbols_are_mapped() {
        assert_eq!(sanitize("2fa", Case::Snake), "_2fa");
        assert_eq!(sanitize("1080p", Case::Variant), "Value1080p");
        assert_eq!(sanitize("3d", Case::Type), "Type3d");
        assert_eq!(sanitize("", Case::Variant), "Empty");
        assert_eq!(sanitize("", Case::Snake), "unnamed");
        assert_eq!(sanitize("+", Case::Variant), "Plus");
        assert_eq!(sanitize(">=", Case::Variant), "GtEq");
        assert_eq!(sanitize("_", Case::Snake), "underscore");
        assert_eq!(sanitize("-1", Case::Variant), "Minus1");
        assert_eq!(sanitize("+1", Case::Variant), "Plus1");
        assert_eq!(sanitize("1", Case::Variant), "Value1");
    }

    #[test]
    fn unicode_is_kept_apart_from_ascii() {
        let cafe = sanitize("café", Case::Snake);
        assert_ne!(cafe, sanitize("cafe", Case::Snake));
        assert!(cafe.is_ascii());
        let name = sanitize("名前", Case::Type);
        assert!(name.is_ascii());
        syn::parse_str::<syn::Ident>(&name).expect("valid identifier");
    }

    #[test]
    fn every_sanitized_name_parses_as_an_identifier() {
        let inputs = [
            "",
            " ",
            "0",
            "-",
            "__",
            "a-b",
            "ü",
            "$ref",
            "@type",
            "x.y.z",
            "Self",
            "self",
            "fn",
            "match",
            "_",
            "__proto__",
            "😀",
            "🙂x",
        ];
        for input in inputs {
            for case in [Case::Type, Case::Variant, Case::Snake] {
                let name = sanitize(input, case);
                let ident = to_ident(&name);
                syn::parse2::<syn::Ident>(quote::quote!(#ident))
                    .unwrap_or_else(|e| panic!("{input:?} -> {name:?}: {e}"));
            }
        }
    }

    #[test]
    fn collisions_get_deterministic_suffixes() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("fooBar", Case::Snake).to_string(), "foo_bar");
        assert_eq!(scope.claim("foo_bar", Case::Snake).to_string(), "foo_bar_2");
        assert_eq!(scope.claim("foo-bar", Case::Snake).to_string(), "foo_bar_3");
        let mut types = Scope::with_reserved(["ParseEnumError"]);
        assert_eq!(
            types.claim("parse_enum_error", Case::Type).to_string(),
            "ParseEnumError2"
        );
        let mut keywords = Scope::new();
        assert_eq!(keywords.claim("Self", Case::Type).to_string(), "Self_");
        assert_eq!(keywords.claim("self", Case::Type).to_string(), "Self2");
        let mut raw = Scope::new();
        let raw_type = raw.claim("type", Case::Snake);
        assert_eq!(raw_type.to_string(), "r#type");
        assert!(raw_type.is_raw());
        assert_eq!(raw_type.as_str(), "type");
        assert_eq!(to_ident(&raw_type).to_string(), "r#type");
        assert_eq!(raw.claim("Type", Case::Snake).to_string(), "type_2");
    }
}
