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
pub(super) fn shorten(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut index = 0;
    while index < trees.len() {
        if let Some((replacement, used)) = prelude_path(&trees[index..], out.last()) {
            out.push(TokenTree::Ident(replacement));
            index += used;
            continue;
        }
        out.push(match &trees[index] {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), shorten(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            other => other.clone(),
        });
        index += 1;
    }
    out.into_iter().collect()
}

/// The short name for the path at the start of `trees`, and how many
/// tokens it takes: `:: std :: option :: Option` (7), followed by
/// `:: Some` for a variant (10), or `:: std :: vec` before `!` (4).
fn prelude_path(trees: &[TokenTree], before: Option<&TokenTree>) -> Option<(Ident, usize)> {
    // A path that continues another (`a::std::…`) is not a full path; after
    // a keyword (`as ::std::…`, `dyn ::std::…`) it is.
    if let Some(TokenTree::Ident(previous)) = before {
        let previous = previous.to_string();
        if !KEYWORDS_BEFORE_PATHS.contains(&previous.as_str()) {
            return None;
        }
    }
    let colons = |at: usize| is_colons(trees.get(at), trees.get(at + 1));
    let ident = |at: usize| match trees.get(at) {
        Some(TokenTree::Ident(ident)) => Some(ident.to_string()),
        _ => None,
    };
    if !colons(0) || !matches!(ident(2).as_deref(), Some("std" | "core")) || !colons(3) {
        return None;
    }
    let module = ident(5)?;
    let span = trees.get(5)?.span();
    if PRELUDE_MACROS.contains(&module.as_str()) && ident(2).as_deref() == Some("std") {
        if let Some(TokenTree::Punct(bang)) = trees.get(6) {
            if bang.as_char() == '!' {
                return Some((Ident::new(&module, span), 6));
            }
        }
    }
    if !colons(6) {
        return None;
    }
    let item = ident(8)?;
    if !PRELUDE_ITEMS.contains(&(module.as_str(), item.as_str())) {
        return None;
    }
    // A longer path (`::std::fmt::Result` is not in the table; neither is
    // `::std::string::String::new`, whose `String` is shortened alone).
    if colons(9) {
        if let Some(variant) = ident(11) {
            if PRELUDE_VARIANTS.contains(&(item.as_str(), variant.as_str())) {
                return Some((Ident::new(&variant, trees.get(11)?.span()), 12));
            }
        }
    }
    Some((Ident::new(&item, trees.get(8)?.span()), 9))
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
