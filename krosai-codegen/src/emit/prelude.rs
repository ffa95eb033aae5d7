//! Short prelude paths. Emitters write `::std::option::Option`,
//! `::std::result::Result::Ok` and the like, which no schema name can
//! shadow; when no generated name shadows a prelude name (the model's
//! `prelude_shadowed` is false) the output says `Option` and `Ok` instead.
//! This works on tokens, never on text: only whole paths of the table
//! below are replaced.

use proc_macro2::{Group, Ident, Spacing, TokenStream, TokenTree};

/// `(module, item)` under `::std` or `::core` whose item is in the prelude.
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
const PRELUDE_VARIANTS: &[(&str, &str)] = &[
    ("Option", "Some"),
    ("Option", "None"),
    ("Result", "Ok"),
    ("Result", "Err"),
];

/// Macros of the std prelude (`::std::vec!`, `::std::format!`).
const PRELUDE_MACROS: &[&str] = &["vec", "format"];

/// Keywords after which a `::std::…` path starts afresh.
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
