//! Short prelude paths. When no generated name shadows a prelude name
//! (the model's `prelude_shadowed` is false) the output says `Option` and
//! `Ok`; otherwise `::std::option::Option` and `::std::result::Result::Ok`,
//! which no schema name can shadow. Emitters write these paths with the
//! [`PreludePath`] constants (`#SOME(value)`), which a unit built
//! [`writing`] short prints short.
//!
//! [`shorten`] (tests only) is the check: it rewrites every full path to
//! a prelude item in a token stream as its short name, so a unit it would
//! change still has a full path where a short one would do.

use std::cell::Cell;

#[cfg(test)]
use proc_macro2::{Group, TokenTree};
use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt as _};

thread_local! {
    /// Whether the unit being built on this thread writes prelude paths
    /// short (see [`writing`]).
    static SHORT: Cell<bool> = const { Cell::new(false) };
}

/// Builds a unit with the [`PreludePath`] constants written short
/// (`short`) or in full. Outside of it they are written in full, which is
/// right in any module.
pub(super) fn writing<T>(short: bool, build: impl FnOnce() -> T) -> T {
    let before = SHORT.replace(short);
    let built = build();
    SHORT.set(before);
    built
}

/// A path to an item of the prelude, for `quote!` (`#SOME(value)`): the
/// short name when the unit is built [`writing`] short, else the full
/// path, as [`shorten`] would leave it either way.
pub(crate) struct PreludePath {
    short: &'static str,
    full: &'static [&'static str],
}

impl ToTokens for PreludePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let span = Span::call_site();
        if SHORT.get() {
            tokens.append(Ident::new(self.short, span));
            return;
        }
        for segment in self.full {
            tokens.append(Punct::new(':', Spacing::Joint));
            tokens.append(Punct::new(':', Spacing::Alone));
            tokens.append(Ident::new(segment, span));
        }
    }
}

impl PreludePath {
    /// The path as text, written as its tokens are (for attributes that
    /// take a path in a string, such as `skip_serializing_if`).
    pub(crate) fn text(&self) -> String {
        if SHORT.get() {
            self.short.to_owned()
        } else {
            self.full
                .iter()
                .map(|segment| format!("::{segment}"))
                .collect()
        }
    }
}

macro_rules! prelude_paths {
    ($($(#[$doc:meta])* $name:ident = $short:literal [$($segment:literal),+];)*) => {
        $($(#[$doc])* pub(crate) const $name: PreludePath = PreludePath {
            short: $short,
            full: &[$($segment),+],
        };)*
    };
}

prelude_paths! {
    /// `Option`.
    OPTION = "Option" ["std", "option", "Option"];
    /// `Some`.
    SOME = "Some" ["std", "option", "Option", "Some"];
    /// `None`.
    NONE = "None" ["std", "option", "Option", "None"];
    /// `Result`.
    RESULT = "Result" ["std", "result", "Result"];
    /// `Ok`.
    OK = "Ok" ["std", "result", "Result", "Ok"];
    /// `Err`.
    ERR = "Err" ["std", "result", "Result", "Err"];
    /// `String`.
    STRING = "String" ["std", "string", "String"];
    /// `Vec`.
    VEC = "Vec" ["std", "vec", "Vec"];
    /// `Box`.
    BOX = "Box" ["std", "boxed", "Box"];
    /// `Default`.
    DEFAULT = "Default" ["std", "default", "Default"];
    /// `Into`.
    INTO = "Into" ["std", "convert", "Into"];
    /// `ToOwned`.
    TO_OWNED = "ToOwned" ["std", "borrow", "ToOwned"];
    /// `Send`.
    SEND = "Send" ["std", "marker", "Send"];
    /// `Sync`.
    SYNC = "Sync" ["std", "marker", "Sync"];
    /// `format` (before `!`).
    FORMAT = "format" ["std", "format"];
    /// `vec` (before `!`).
    VEC_MACRO = "vec" ["std", "vec"];
}

/// `(module, item)` under `::std` or `::core` whose item is in the prelude.
#[cfg(test)]
const PRELUDE_ITEMS: &[(&str, &str)] = &[
    ("option", "Option"),
    ("result", "Result"),
    ("string", "String"),
    ("string", "ToString"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("borrow", "ToOwned"),
    ("clone", "Clone"),
    ("convert", "From"),
    ("convert", "Into"),
    ("default", "Default"),
    ("iter", "IntoIterator"),
    ("iter", "Iterator"),
    ("marker", "Send"),
    ("marker", "Sized"),
    ("marker", "Sync"),
];

/// Variants that the prelude names directly (`Some`, `Ok`...).
#[cfg(test)]
const PRELUDE_VARIANTS: &[(&str, &str)] = &[
    ("Option", "Some"),
    ("Option", "None"),
    ("Result", "Ok"),
    ("Result", "Err"),
];

/// Macros of the std prelude (`::std::vec!`, `::std::format!`).
#[cfg(test)]
const PRELUDE_MACROS: &[&str] = &["vec", "format"];

/// Keywords after which a `::std::…` path starts afresh.
#[cfg(test)]
const KEYWORDS_BEFORE_PATHS: &[&str] = &[
    "as", "dyn", "impl", "in", "for", "mut", "return", "where", "let", "const", "static", "type",
    "break", "move", "ref", "else", "match", "if", "while",
];

/// `tokens` with every full path to a prelude item written short.
///
/// Units are large (a whole server module core is one), so this moves
/// tokens instead of copying them: paths are found by looking at the
/// tokens, then the stream is rebuilt from them, each group's own stream
/// taken out of it once the group is dropped.
#[cfg(test)]
pub(super) fn shorten(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    // Where each short path starts, what it becomes and how many tokens it
    // replaces. The token before a path is the one before it in the output,
    // a short name when a path was just replaced (never a keyword: a path
    // right after it continues it, and stays).
    let mut paths: Vec<(usize, Ident, usize)> = Vec::new();
    let mut index = 0;
    while index < trees.len() {
        let before = match paths.last() {
            Some((start, _, used)) if start + used == index => Before::ShortName,
            _ if index == 0 => Before::Start,
            _ => Before::Token(&trees[index - 1]),
        };
        if let Some((replacement, used)) = prelude_path(&trees[index..], before) {
            paths.push((index, replacement, used));
            index += used;
        } else {
            index += 1;
        }
    }
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut paths = paths.into_iter().peekable();
    let mut skip = 0;
    for (index, tree) in trees.into_iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        if let Some((_, replacement, used)) = paths.next_if(|(start, ..)| *start == index) {
            out.push(TokenTree::Ident(replacement));
            skip = used - 1;
            continue;
        }
        out.push(match tree {
            TokenTree::Group(group) => {
                let (delimiter, span) = (group.delimiter(), group.span());
                let stream = group.stream();
                // The group's stream is no longer shared: iterating it
                // moves its tokens.
                drop(group);
                let mut inner = Group::new(delimiter, shorten(stream));
                inner.set_span(span);
                TokenTree::Group(inner)
            }
            other => other,
        });
    }
    out.into_iter().collect()
}

/// What comes before a candidate path in the output.
#[cfg(test)]
#[derive(Clone, Copy)]
enum Before<'a> {
    /// Nothing: the start of a stream.
    Start,
    /// A path just written short.
    ShortName,
    /// A token of the input.
    Token(&'a TokenTree),
}

/// The short name for the path at the start of `trees`, and how many
/// tokens it takes: `:: std :: option :: Option` (7), followed by
/// `:: Some` for a variant (10), or `:: std :: vec` before `!` (4).
#[cfg(test)]
fn prelude_path(trees: &[TokenTree], before: Before<'_>) -> Option<(Ident, usize)> {
    let colons = |at: usize| is_colons(trees.get(at), trees.get(at + 1));
    let ident = |at: usize| match trees.get(at) {
        Some(TokenTree::Ident(ident)) => Some(ident),
        _ => None,
    };
    // Cheap checks first: this runs for every token.
    if !colons(0) || !colons(3) {
        return None;
    }
    let root = ident(2)?;
    let std = *root == "std";
    if !std && *root != "core" {
        return None;
    }
    // A path that continues another (`a::std::…`) is not a full path; after
    // a keyword (`as ::std::…`, `dyn ::std::…`) it is.
    match before {
        Before::ShortName => return None,
        Before::Token(TokenTree::Ident(previous))
            if !KEYWORDS_BEFORE_PATHS.iter().any(|k| previous == k) =>
        {
            return None
        }
        _ => {}
    }
    let module = ident(5)?;
    let span = module.span();
    if std {
        if let Some(name) = PRELUDE_MACROS.iter().find(|m| module == *m) {
            if let Some(TokenTree::Punct(bang)) = trees.get(6) {
                if bang.as_char() == '!' {
                    return Some((Ident::new(name, span), 6));
                }
            }
        }
    }
    if !colons(6) {
        return None;
    }
    let item = ident(8)?;
    let &(_, item_name) = PRELUDE_ITEMS
        .iter()
        .find(|(m, i)| module == m && item == i)?;
    // A longer path (`::std::fmt::Result` is not in the table; neither is
    // `::std::string::String::new`, whose `String` is shortened alone).
    if colons(9) {
        if let Some(variant) = ident(11) {
            if let Some(&(_, name)) = PRELUDE_VARIANTS
                .iter()
                .find(|(i, v)| *i == item_name && variant == v)
            {
                return Some((Ident::new(name, variant.span()), 12));
            }
        }
    }
    Some((Ident::new(item_name, item.span()), 9))
}

#[cfg(test)]
fn is_colons(first: Option<&TokenTree>, second: Option<&TokenTree>) -> bool {
    matches!(
        (first, second),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn short(tokens: proc_macro2::TokenStream) -> String {
        super::shorten(tokens).to_string()
    }

    #[test]
    fn full_prelude_paths_become_short() {
        let tokens = quote! {
            fn f(x: ::std::option::Option<::std::string::String>) -> ::core::result::Result<(), ::std::boxed::Box<u8>> {
                let v = ::std::vec![::std::option::Option::Some(1)];
                ::std::result::Result::Err(::std::format!("{v:?}"))
            }
        };
        assert_eq!(
            short(tokens),
            quote! {
                fn f(x: Option<String>) -> Result<(), Box<u8>> {
                    let v = vec![Some(1)];
                    Err(format!("{v:?}"))
                }
            }
            .to_string()
        );
    }

    #[test]
    fn other_paths_are_kept() {
        let kept = quote! {
            ::std::fmt::Result;
            ::std::sync::Arc<u8>;
            ::serde::de::Error;
            crate::std::option::Option;
            <T as ::std::string::ToString>::to_string;
            ::std::string::String::new()
        };
        assert_eq!(
            short(kept),
            quote! {
                ::std::fmt::Result;
                ::std::sync::Arc<u8>;
                ::serde::de::Error;
                crate::std::option::Option;
                <T as ToString>::to_string;
                String::new()
            }
            .to_string()
        );
    }
}
