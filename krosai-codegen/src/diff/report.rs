//! A [`Report`] as Markdown (for the pull request that bumps the spec) and
//! as JSON (for tools).

use std::fmt::Write as _;

use super::{Change, Report, RustImpact, Wire};

impl Report {
    /// The report as Markdown: a verdict line, then the changes grouped
    /// by severity (breaking, additive, documentation), each with its Rust
    /// items, JSON pointer and both wire verdicts.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "## {}: {} → {}\n",
            self.title, self.old_version, self.new_version
        );
        if self.changes.is_empty() {
            out.push_str("No changes to the generated code or the wire.\n");
            return out;
        }
        let count = |f: &dyn Fn(&Change) -> bool| self.changes.iter().filter(|c| f(c)).count();
        let breaking = count(&|c| c.rust == RustImpact::Breaking);
        let deployed = count(&|c| c.old_client == Wire::Breaking);
        let rollout = count(&|c| c.new_client == Wire::Breaking);
        let bump = self.bump();
        let zero = if bump == super::Bump::Major {
            " (a `0.x` crate takes the next minor version for a major change)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "**Semver: {}** for the generated crate{zero}.\n",
            bump.as_str()
        );
        let mut lines = Vec::new();
        lines.push(if breaking == 0 {
            "- Rust API: code that compiled against the old version still compiles.".to_owned()
        } else {
            format!("- Rust API: {breaking} breaking change(s): code that compiled against the old version may not compile.")
        });
        lines.push(if deployed == 0 {
            "- Deployed clients keep working against the new server.".to_owned()
        } else {
            format!("- Deployed clients: {deployed} change(s) break an old client against the new server.")
        });
        if rollout > 0 {
            lines.push(format!(
                "- Rollout: {rollout} change(s) break a new client against an old server: deploy the servers first."
            ));
        }
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        let titles = ["Breaking", "Additive", "Documentation and wire-only"];
        for (group, title) in titles.into_iter().enumerate() {
            let selected: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| severity(c) == group)
                .collect();
            if selected.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})\n", selected.len());
            out.push_str("| Rust item | Change | Rust API | Old client, new server | New client, old server |\n");
            out.push_str("|---|---|---|---|---|\n");
            for c in selected {
                let items = if c.items.is_empty() {
                    "(none)".to_owned()
                } else {
                    c.items
                        .iter()
                        .map(|i| format!("`{}`", cell(i)))
                        .collect::<Vec<_>>()
                        .join("<br>")
                };
                let _ = writeln!(
                    out,
                    "| {items} | {}<br>`{}` | {} | {} | {} |",
                    cell(&c.message),
                    cell(&c.pointer),
                    c.rust.as_str(),
                    verdict(c.old_client),
                    verdict(c.new_client),
                );
            }
        }
        out
    }

    /// The report as JSON: `title`, `old_version`, `new_version`,
    /// `semver`, `breaking`, and `changes` (each with `kind`, `pointer`,
    /// `items`, `message`, `rust`, `old_client_new_server`,
    /// `new_client_old_server`).
    pub fn to_json(&self) -> serde_json::Value {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "kind": c.kind.as_str(),
                    "pointer": c.pointer,
                    "items": c.items,
                    "message": c.message,
                    "rust": c.rust.as_str(),
                    "old_client_new_server": c.old_client.as_str(),
                    "new_client_old_server": c.new_client.as_str(),
                })
            })
            .collect();
        serde_json::json!({
            "title": self.title,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "semver": self.bump().as_str(),
            "breaking": self.is_breaking(),
            "changes": changes,
        })
    }
}

/// The report's group of a change: 0 breaking, 1 additive, 2 the rest.
fn severity(change: &Change) -> usize {
    if change.is_breaking() {
        0
    } else if change.rust == RustImpact::Additive {
        1
    } else {
        2
    }
}

fn verdict(wire: Wire) -> &'static str {
    match wire {
        Wire::Safe => "safe",
        Wire::Breaking => "**breaks**",
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
