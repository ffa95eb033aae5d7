//! Spec text as doc comments.
//!
//! Descriptions are Markdown written for people, not for rustdoc: a fenced
//! block with no language (or any language) would become a doctest that
//! fails to compile, and an indented block too. Fences are marked `text`
//! and indentation outside fences is capped so that neither happens; the
//! text itself always travels as a string literal.
//!
//! A doc comment travels as one attribute, its lines separated by tabs
//! (which [`doc_lines`] never leaves in a line), so that a paragraph of
//! thirty lines is one token for `quote`, `syn` and `prettyplease` rather
//! than thirty attributes. `prettyplease` prints it as one `///` line,
//! which [`expand_doc_blocks`] splits into the lines it stands for: the
//! text is the same as if each line had been its own attribute.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// What separates the lines of a doc comment in its one attribute.
const LINE_BREAK: char = '\t';

/// The `#[doc = "..."]` attribute for `text` (none for empty text): its
/// lines separated by [`LINE_BREAK`], each after a space unless empty.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    if lines.is_empty() {
        return TokenStream::new();
    }
    let mut block = String::with_capacity(text.len() + 2 * lines.len());
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            block.push(LINE_BREAK);
        }
        if !line.is_empty() {
            block.push(' ');
            block.push_str(line);
        }
    }
    let block = raw_literal(&block);
    quote!(#[doc = #block])
}

/// `text` (formatted code) with each `///` line that holds a doc comment
/// of [`doc_attrs`] split into its lines, at the same indentation. Only doc
/// comments can hold a tab: string literals are printed escaped.
pub(crate) fn expand_doc_blocks(text: String) -> String {
    if !text.contains(LINE_BREAK) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let code = line.trim_start_matches(' ');
        let block = code
            .strip_prefix("///")
            .filter(|block| block.contains(LINE_BREAK));
        let Some(block) = block else {
            out.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - code.len()];
        let (block, end) = match block.strip_suffix('\n') {
            Some(block) => (block, "\n"),
            None => (block, ""),
        };
        for (index, part) in block.split(LINE_BREAK).enumerate() {
            if index > 0 {
                out.push('\n');
            }
            out.push_str(indent);
            out.push_str("///");
            out.push_str(part);
        }
        out.push_str(end);
    }
    out
}

/// `text` as a raw string literal (`r"…"`, with as many `#`s as it needs).
///
/// Doc text is most of what a large spec holds, and a raw literal is made,
/// parsed and printed by copying it; an escaped one (`Literal::string`) is
/// escaped character by character, then unescaped by `syn` and again by
/// `prettyplease`. The printed doc comment is the same. Text no raw literal
/// can hold (a lone carriage return, which doc lines never have) is escaped.
fn raw_literal(text: &str) -> Literal {
    // One `#` more than the longest run of them after a quote.
    let mut hashes = 0;
    for (index, _) in text.match_indices('"') {
        let run = text[index + 1..].bytes().take_while(|b| *b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let hashes = "#".repeat(hashes);
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// The lines of a doc comment, made safe for rustdoc.
/// An operation's doc text, the same on the client method and the server
/// trait method: summary, description (unless it repeats the summary), then
/// `` `GET /calls` (`listCalls`). ``
pub(crate) fn operation_text(op: &crate::model::Operation) -> String {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            text.push_str(description.trim());
            text.push_str("\n\n");
        }
    }
    if op.webhook {
        text.push_str(&format!(
            "The `{}` webhook: `{} {}` of [`webhooks_router`].",
            op.operation_id,
            op.method.as_str(),
            op.path
        ));
    } else {
        text.push_str(&format!(
            "`{} {}` (`{}`).",
            op.method.as_str(),
            op.path,
            op.operation_id
        ));
    }
    text
}

pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    // The content column of the list item being continued, if any.
    let mut list_item: Option<usize> = None;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let line = raw.replace('\t', "    ");
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (&fence, marker) {
            (None, Some(marker)) => {
                let run: String = trimmed
                    .chars()
                    .take_while(|c| c.to_string() == marker[..1])
                    .collect();
                fence = Some(run.clone());
                // Whatever the info string said, rustdoc must not compile it.
                out.push(format!("{run}text"));
            }
            (Some(open), Some(_))
                if trimmed.starts_with(open.as_str())
                    && trimmed.trim_start_matches(open.as_str()).trim().is_empty() =>
            {
                out.push(open.clone());
                fence = None;
            }
            (Some(_), _) => out.push(line.to_owned()),
            (None, None) => {
                // Four spaces of indentation would start an indented code
                // block, which rustdoc also compiles.
                let indent = (line.len() - trimmed.len()).min(3);
                // A line that continues a list item without indentation
                // (Markdown's "lazy continuation") reads as part of the
                // item; indent it so that it is, as clippy asks.
                let indent = match list_item {
                    Some(width) if !trimmed.is_empty() && list_marker(trimmed).is_none() => {
                        indent.max(width)
                    }
                    _ => indent,
                };
                list_item = if trimmed.is_empty() {
                    None
                } else {
                    list_marker(trimmed)
                        .map(|marker| indent + marker)
                        .or(list_item)
                };
                out.push(format!("{}{trimmed}", " ".repeat(indent)));
            }
        }
    }
    if let Some(open) = fence {
        out.push(open);
    }
    // No leading or trailing blank lines.
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    let first = out.iter().position(|l| !l.is_empty()).unwrap_or(out.len());
    out.drain(..first);
    out
}

/// The width of a list marker (`- `, `* `, `+ `, `12. `) that starts `line`.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_blocks() {
        let lines = doc_lines("Example:\n```\nfn main() {}\n```\nafter");
        assert_eq!(
            lines,
            vec!["Example:", "```text", "fn main() {}", "```", "after"]
        );
        let lines = doc_lines("```json\n{}\n```");
        assert_eq!(lines, vec!["```text", "{}", "```"]);
    }

    #[test]
    fn lazy_list_continuations_are_indented() {
        assert_eq!(
            doc_lines("* one\ncontinued\n* two\n\nafter"),
            vec!["* one", "  continued", "* two", "", "after"]
        );
        assert_eq!(doc_lines("1. first\nmore"), vec!["1. first", "   more"]);
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(doc_lines("```\ncode"), vec!["```text", "code", "```"]);
    }

    #[test]
    fn indentation_is_capped_outside_fences() {
        assert_eq!(doc_lines("a\n\n        code?"), vec!["a", "", "   code?"]);
        assert_eq!(
            doc_lines("```\n        kept\n```"),
            vec!["```text", "        kept", "```"]
        );
    }

    #[test]
    fn a_doc_block_prints_as_its_lines_would() {
        let text = "Title\n\nA paragraph\n  indented, with\ta tab\n```json\n\t{}\n```";
        let one_per_line = doc_lines(text)
            .iter()
            .fold(TokenStream::new(), |mut tokens, line| {
                let line = if line.is_empty() {
                    String::new()
                } else {
                    format!(" {line}")
                };
                tokens.extend(quote!(#[doc = #line]));
                tokens
            });
        let print = |attrs: TokenStream| {
            let file: syn::File = syn::parse2(quote! {
                #attrs
                pub struct S {
                    #attrs
                    pub field: u8,
                }
            })
            .expect("parses");
            prettyplease::unparse(&file)
        };
        let expected = print(one_per_line);
        assert!(expected.contains("    /// A paragraph\n"), "{expected}");
        assert_eq!(expand_doc_blocks(print(doc_attrs(text))), expected);
        assert!(doc_attrs("").is_empty());
    }

    #[test]
    fn raw_literals_hold_any_line() {
        for text in [
            "",
            " plain",
            " \"quoted\"#",
            " r#\"x\"##",
            " back\\slash \u{0} \t",
        ] {
            let literal = raw_literal(text);
            let parsed: syn::LitStr = syn::parse2(quote!(#literal)).expect("a string literal");
            assert_eq!(parsed.value(), text);
        }
        // A lone carriage return cannot be in a raw literal: escaped.
        assert_eq!(raw_literal("a\rb").to_string(), "\"a\\rb\"");
    }

    #[test]
    fn comment_terminators_stay_text() {
        let attrs = doc_attrs("ends */ here\n*/ fn evil() {}");
        let file: syn::File = syn::parse2(quote!(#attrs struct S;)).expect("parses");
        // One item only: the text did not become code.
        assert_eq!(file.items.len(), 1);
        let printed = expand_doc_blocks(prettyplease::unparse(&file));
        assert!(
            printed.contains("/// */ fn evil() {}") || printed.contains("*/ fn evil"),
            "{printed}"
        );
        assert!(!printed.contains("\nfn evil"), "{printed}");
    }
}
