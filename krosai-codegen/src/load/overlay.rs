//! The OpenAPI Overlay 1.0 engine: checks an overlay document and applies its
//! actions, in order, to a JSON document.
//!
//! Each action selects nodes with an RFC 9535 JSONPath `target` and either
//! merges `update` into them (objects), appends `update` to them (arrays) or,
//! with `remove: true`, removes them from their parent.
//!
//! Deliberate departures from the letter of Overlay 1.0, each stricter or
//! more useful for a spec kept beside its overlay:
//!
//! - A `target` that selects nothing is an **error**. The specification allows
//!   zero matches, but an overlay here corrects one known document: after an
//!   upstream spec bump moves or renames what an action targets, silently
//!   doing nothing would drop the correction without anyone noticing.
//! - `remove: true` may select primitive values too (Overlay 1.0 says targets
//!   are objects or arrays). Without this a property holding a string could
//!   not be deleted at all, and other tools accept it.
//! - An action with neither `update` nor `remove: true` is an error: it would
//!   do nothing, which is always a slip (often a misspelt `update`).
//! - Any `overlay: 1.x.y` is accepted, not only 1.0.x: minor versions only
//!   add features, and the 1.1 ones (`copy`) are reported as unknown fields.
//!
//! Every problem is a [`Diagnostic`] located by a JSON pointer into the
//! *overlay* document (`#/actions/3/target`), and all of them are reported,
//! not just the first. When there is any problem the document is left as it
//! was.

use std::fmt;

use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use crate::error::{Diagnostic, Pointer};

/// The fields an Action Object may have besides `x-` extensions.
const ACTION_FIELDS: [&str; 4] = ["target", "description", "update", "remove"];

/// The fields the Overlay Object may have besides `x-` extensions.
const OVERLAY_FIELDS: [&str; 4] = ["overlay", "info", "extends", "actions"];

/// Applies an OpenAPI Overlay 1.0 document to `document` in place.
///
/// The overlay is checked first (an `overlay` version 1.x, an `info` with a
/// `title` and a `version`, a non-empty `actions` array whose items are
/// objects with a valid JSONPath `target` and an `update` or `remove: true`);
/// a malformed overlay is not applied at all. Then the actions are applied in
/// order, each to the result of the previous one.
///
/// A `target` that selects nothing is an error, unlike in the Overlay
/// specification (which allows zero matches): it catches targets that no
/// longer fit after the document changed.
///
/// On error `document` is unchanged and every problem found is returned,
/// located in the overlay.
pub(crate) fn apply(document: &mut Value, overlay: &Value) -> Result<(), Vec<Diagnostic>> {
    let actions = parse_overlay(overlay)?;
    // Work on a copy so that a failing action leaves the caller's document
    // untouched, while the later actions still run and report their own
    // problems.
    let mut result = document.clone();
    let mut problems = Vec::new();
    for action in &actions {
        problems.extend(action.apply_to(&mut result));
    }
    if problems.is_empty() {
        *document = result;
        Ok(())
    } else {
        Err(problems)
    }
}

/// One checked Action Object.
struct Action<'o> {
    /// Where the action is in the overlay (`#/actions/3`).
    at: Pointer,
    /// The `target` as written, for messages.
    target: &'o str,
    /// The parsed `target`.
    path: JsonPath,
    /// What the action does.
    change: Change<'o>,
}

/// What an action does to each node its target selects.
enum Change<'o> {
    /// Merge into an object, or append to an array.
    Update(&'o Value),
    /// Remove from the parent object or array.
    Remove,
}

/// One step of a location in the document: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    /// A member of an object.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A node selected by a target: its location and what kind of value it was
/// when selected.
struct Selected {
    /// The location, from the document root.
    steps: Vec<Step>,
    /// The kind of the node.
    kind: Kind,
}

/// The kind of a JSON value, for choosing what an update does and for
/// messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

impl Kind {
    /// The kind of `value`.
    fn of(value: &Value) -> Self {
        match value {
            Value::Object(_) => Kind::Object,
            Value::Array(_) => Kind::Array,
            Value::String(_) => Kind::String,
            Value::Number(_) => Kind::Number,
            Value::Bool(_) => Kind::Boolean,
            Value::Null => Kind::Null,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Null => "null",
        })
    }
}

/// Checks the overlay's shape and parses every target. Returns all problems
/// found, or the actions when there are none.
fn parse_overlay(overlay: &Value) -> Result<Vec<Action<'_>>, Vec<Diagnostic>> {
    let root = Pointer::root();
    let Some(fields) = overlay.as_object() else {
        return Err(vec![Diagnostic::at(
            root.to_string(),
            format!("an overlay must be an object, not {}", Kind::of(overlay)),
        )
        .with_hint(
            "an Overlay 1.0 document starts with `overlay: 1.0.0`, `info` and `actions`",
        )]);
    };
    let mut problems = Vec::new();

    check_version(fields.get("overlay"), &root, &mut problems);
    check_info(fields.get("info"), &root.push("info"), &mut problems);
    if let Some(extends) = fields.get("extends") {
        if !extends.is_string() {
            problems.push(Diagnostic::at(
                root.push("extends").to_string(),
                format!(
                    "`extends` must be a string (a URI), not {}",
                    Kind::of(extends)
                ),
            ));
        }
    }
    check_unknown_fields(fields, &OVERLAY_FIELDS, &root, "the overlay", &mut problems);

    let mut actions = Vec::new();
    match fields.get("actions") {
        None => problems.push(
            Diagnostic::at(root.to_string(), "missing `actions`")
                .with_hint("add `actions:`, a list of objects with a `target` and an `update` or `remove: true`"),
        ),
        Some(Value::Array(items)) if items.is_empty() => problems.push(Diagnostic::at(
            root.push("actions").to_string(),
            "`actions` is empty; an overlay must have at least one action",
        )),
        Some(Value::Array(items)) => {
            let at = root.push("actions");
            for (index, item) in items.iter().enumerate() {
                // The Overlay schema says the actions are unique; a repeated
                // action is almost certainly a copy-and-paste slip (and would,
                // for an array target, append the same value twice).
                if let Some(first) = items.iter().take(index).position(|other| other == item) {
                    problems.push(Diagnostic::at(
                        at.push(index).to_string(),
                        format!("this action repeats action {first}; actions must be unique"),
                    ));
                    continue;
                }
                if let Some(action) = parse_action(item, at.push(index), &mut problems) {
                    actions.push(action);
                }
            }
        }
        Some(other) => problems.push(Diagnostic::at(
            root.push("actions").to_string(),
            format!("`actions` must be a list, not {}", Kind::of(other)),
        )),
    }

    if problems.is_empty() {
        Ok(actions)
    } else {
        Err(problems)
    }
}

/// Checks the `overlay` field: a `major.minor.patch` string with major 1.
fn check_version(version: Option<&Value>, root: &Pointer, problems: &mut Vec<Diagnostic>) {
    let at = root.push("overlay");
    match version {
        None => problems.push(
            Diagnostic::at(root.to_string(), "missing `overlay` version field")
                .with_hint("an Overlay 1.0 document starts with `overlay: 1.0.0`"),
        ),
        Some(Value::String(version)) => {
            let parts: Vec<&str> = version.split('.').collect();
            let well_formed = parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if !well_formed {
                problems.push(
                    Diagnostic::at(
                        at.to_string(),
                        format!("`overlay` must be a version like `1.0.0`, not `{version}`"),
                    )
                    .with_hint("write `overlay: 1.0.0`"),
                );
            } else if parts.first() != Some(&"1") {
                problems.push(Diagnostic::at(
                    at.to_string(),
                    format!("Overlay version {version} is not supported; only Overlay 1.x is"),
                ));
            }
        }
        Some(other) => problems.push(
            Diagnostic::at(
                at.to_string(),
                format!("`overlay` must be a string, not {}", Kind::of(other)),
            )
            .with_hint("write `overlay: 1.0.0` (a YAML `1.0` is a number; quote it or add the patch version)"),
        ),
    }
}

/// Checks the Info Object: an object with a string `title` and `version`.
fn check_info(info: Option<&Value>, at: &Pointer, problems: &mut Vec<Diagnostic>) {
    let Some(info) = info else {
        problems.push(
            Diagnostic::at(Pointer::root().to_string(), "missing `info`")
                .with_hint("add `info: {title: …, version: …}` describing the overlay"),
        );
        return;
    };
    let Some(fields) = info.as_object() else {
        problems.push(Diagnostic::at(
            at.to_string(),
            format!(
                "`info` must be an object with `title` and `version`, not {}",
                Kind::of(info)
            ),
        ));
        return;
    };
    for name in ["title", "version"] {
        match fields.get(name) {
            None => problems.push(Diagnostic::at(
                at.to_string(),
                format!("`info` has no `{name}`"),
            )),
            Some(Value::String(_)) => {}
            Some(other) => problems.push(
                Diagnostic::at(
                    at.push(name).to_string(),
                    format!("`info.{name}` must be a string, not {}", Kind::of(other)),
                )
                .with_hint("quote the value"),
            ),
        }
    }
}

/// Reports every field of `fields` that is neither in `known` nor an `x-`
/// extension.
fn check_unknown_fields(
    fields: &Map<String, Value>,
    known: &[&str],
    at: &Pointer,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) {
    for name in fields.keys() {
        if known.contains(&name.as_str()) || name.starts_with("x-") {
            continue;
        }
        let hint = if name == "copy" {
            "`copy` is an Overlay 1.1 action, which this tool does not support".to_owned()
        } else {
            format!(
                "{what} may have {} and `x-` extensions",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        problems.push(
            Diagnostic::at(
                at.push(name).to_string(),
                format!("unknown field `{name}` in {what}"),
            )
            .with_hint(hint),
        );
    }
}

/// Checks one Action Object at `at`; returns it when it is usable.
fn parse_action<'o>(
    item: &'o Value,
    at: Pointer,
    problems: &mut Vec<Diagnostic>,
) -> Option<Action<'o>> {
    let Some(fields) = item.as_object() else {
        problems.push(
            Diagnostic::at(
                at.to_string(),
                format!("an action must be an object, not {}", Kind::of(item)),
            )
            .with_hint("write `- target: $.some.path` followed by `update: …` or `remove: true`"),
        );
        return None;
    };
    let before = problems.len();
    check_unknown_fields(fields, &ACTION_FIELDS, &at, "an action", problems);

    if let Some(description) = fields.get("description") {
        if !description.is_string() {
            problems.push(Diagnostic::at(
                at.push("description").to_string(),
                format!(
                    "`description` must be a string, not {}",
                    Kind::of(description)
                ),
            ));
        }
    }

    let remove = match fields.get("remove") {
        None => Some(false),
        Some(Value::Bool(remove)) => Some(*remove),
        Some(other) => {
            problems.push(
                Diagnostic::at(
                    at.push("remove").to_string(),
                    format!(
                        "`remove` must be `true` or `false`, not {}",
                        Kind::of(other)
                    ),
                )
                .with_hint("write `remove: true`"),
            );
            None
        }
    };
    let change = match (remove, fields.get("update")) {
        // With `remove: true` an `update` "has no impact", says the spec, so
        // it is allowed and ignored.
        (Some(true), _) => Some(Change::Remove),
        (Some(false), Some(update)) => Some(Change::Update(update)),
        (Some(false), None) if fields.contains_key("remove") => {
            problems.push(
                Diagnostic::at(
                    at.push("remove").to_string(),
                    "`remove: false` without an `update` does nothing",
                )
                .with_hint("add an `update` or delete the action"),
            );
            None
        }
        (Some(false), None) => {
            problems.push(
                Diagnostic::at(
                    at.to_string(),
                    "the action has neither `update` nor `remove: true`, so it does nothing",
                )
                .with_hint(
                    "add `update: …` to change the selected nodes or `remove: true` to delete them",
                ),
            );
            None
        }
        // A malformed `remove`, already reported.
        (None, _) => None,
    };

    let path = match fields.get("target") {
        None => {
            problems.push(
                Diagnostic::at(at.to_string(), "the action has no `target`")
                    .with_hint("add `target:` with a JSONPath such as `$.components.schemas.Call`"),
            );
            None
        }
        Some(Value::String(target)) => match JsonPath::parse(target) {
            Ok(path) => Some((target.as_str(), path)),
            Err(e) => {
                problems.push(
                    Diagnostic::at(
                        at.push("target").to_string(),
                        format!(
                            "invalid JSONPath `{target}` {}: {}",
                            where_in(target, e.position()),
                            e.message()
                        ),
                    )
                    .with_hint(
                        "targets are RFC 9535 JSONPath: start with `$`; a name with characters other \
                         than letters, digits and `_` needs quoted brackets (`$.paths['/calls/{id}']`); \
                         filters are written `[?@.name == 'id']`",
                    ),
                );
                None
            }
        },
        Some(other) => {
            problems.push(Diagnostic::at(
                at.push("target").to_string(),
                format!(
                    "`target` must be a JSONPath string, not {}",
                    Kind::of(other)
                ),
            ));
            None
        }
    };

    match (path, change) {
        (Some((target, path)), Some(change)) if problems.len() == before => Some(Action {
            at,
            target,
            path,
            change,
        }),
        _ => None,
    }
}

impl Action<'_> {
    /// Applies this action to `document`; returns the problems found. When
    /// there is one, the action changes nothing.
    fn apply_to(&self, document: &mut Value) -> Vec<Diagnostic> {
        let selected = self.select(document);
        if selected.is_empty() {
            return vec![Diagnostic::at(
                self.at.push("target").to_string(),
                format!("`{}` selects nothing in the document", self.target),
            )
            .with_hint(
                "check the path against the document: names are case-sensitive, and an action that \
                 fitted an older version of the document may need updating",
            )];
        }
        match self.change {
            Change::Update(update) => self.update(document, &selected, update),
            Change::Remove => self.remove(document, &selected),
        }
    }

    /// The nodes the target selects, each once, in document order (a node
    /// before its descendants, array elements by ascending index).
    fn select(&self, document: &Value) -> Vec<Selected> {
        let mut selected: Vec<Selected> = self
            .path
            .query_located(document)
            .iter()
            .map(|node| Selected {
                steps: node
                    .location()
                    .iter()
                    .map(|element| match element {
                        PathElement::Name(name) => Step::Key((*name).to_owned()),
                        PathElement::Index(index) => Step::Index(*index),
                    })
                    .collect(),
                kind: Kind::of(node.node()),
            })
            .collect();
        // A JSONPath result may name a node more than once (`$['a','a']`);
        // each node is changed once.
        selected.sort_by(|a, b| a.steps.cmp(&b.steps));
        selected.dedup_by(|a, b| a.steps == b.steps);
        selected
    }

    /// Merges `update` into every selected object, or appends it to every
    /// selected array.
    fn update(
        &self,
        document: &mut Value,
        selected: &[Selected],
        update: &Value,
    ) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for node in selected {
            match node.kind {
                Kind::Object if !update.is_object() => problems.push(
                    Diagnostic::at(
                        self.at.push("update").to_string(),
                        format!(
                            "`{}` selects an object ({}), so `update` must be an object of properties \
                             to merge into it, not {}",
                            self.target,
                            pointer(&node.steps),
                            Kind::of(update)
                        ),
                    )
                    .with_hint("to replace a property's value, give it under the property's name"),
                ),
                Kind::Object | Kind::Array => {}
                scalar => problems.push(
                    Diagnostic::at(
                        self.at.push("target").to_string(),
                        format!(
                            "`{}` selects {scalar} ({}); an update can only change an object or an array",
                            self.target,
                            pointer(&node.steps)
                        ),
                    )
                    .with_hint(
                        "select the object that holds the value and give the new value under its \
                         property name in `update`",
                    ),
                ),
            }
        }
        if !problems.is_empty() {
            return problems;
        }
        for node in selected {
            match node_mut(document, &node.steps) {
                Some(Value::Object(object)) => {
                    if let Value::Object(update) = update {
                        merge(object, update);
                    }
                }
                Some(Value::Array(array)) => array.push(update.clone()),
                // The target selected both a node and one inside it, and the
                // update of the outer node replaced the inner one.
                _ => problems.push(Diagnostic::at(
                    self.at.push("target").to_string(),
                    format!(
                        "`{}` selects {} inside another selected node, and updating that node replaced it",
                        self.target,
                        pointer(&node.steps)
                    ),
                )
                .with_hint("make the target select only the outermost nodes to change")),
            }
        }
        problems
    }

    /// Removes every selected node from its parent.
    fn remove(&self, document: &mut Value, selected: &[Selected]) -> Vec<Diagnostic> {
        if selected.iter().any(|node| node.steps.is_empty()) {
            return vec![Diagnostic::at(
                self.at.push("target").to_string(),
                format!(
                    "`{}` selects the document root, which cannot be removed",
                    self.target
                ),
            )];
        }
        let mut problems = Vec::new();
        // Removing in descending order keeps the remaining locations valid:
        // every later location sorts lower, so it is either in another part
        // of the tree, at a lower index of the same array (not shifted by
        // removing a higher one) or an ancestor (removed after its
        // descendants, which is harmless).
        for node in selected.iter().rev() {
            let Some((last, parent)) = node.steps.split_last() else {
                continue;
            };
            let removed = match (node_mut(document, parent), last) {
                (Some(Value::Object(object)), Step::Key(key)) => {
                    // `retain` keeps the order of the other members even
                    // with serde_json's `preserve_order` (where `remove`
                    // would move the last member into the gap).
                    let before = object.len();
                    object.retain(|name, _| name != key);
                    object.len() < before
                }
                (Some(Value::Array(array)), Step::Index(index)) if *index < array.len() => {
                    array.remove(*index);
                    true
                }
                _ => false,
            };
            if !removed {
                problems.push(Diagnostic::at(
                    self.at.push("target").to_string(),
                    format!(
                        "`{}` selects {}, which could not be removed",
                        self.target,
                        pointer(&node.steps)
                    ),
                ));
            }
        }
        problems
    }
}

/// Says where in `target` the JSONPath parser stopped, given its error
/// position (a 0-based byte offset, whatever its documentation says).
fn where_in(target: &str, position: usize) -> String {
    match (target.get(..position), target.get(position..)) {
        (Some(_), Some("")) => "at its end".to_owned(),
        (Some(before), Some(rest)) => {
            format!("at column {} (`{rest}`)", before.chars().count() + 1)
        }
        _ => format!("at byte {position}"),
    }
}

/// Merges `update` into `target` as Overlay updates do: an object in both is
/// merged recursively; anything else (arrays, scalars, `null`) in `update`
/// replaces what `target` has under that key. `null` is a value, not a
/// deletion (use `remove` to delete).
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(patch)) => merge(existing, patch),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The node at `steps`, if it exists.
fn node_mut<'v>(document: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    steps
        .iter()
        .try_fold(document, |node, step| match (node, step) {
            (Value::Object(object), Step::Key(key)) => object.get_mut(key),
            (Value::Array(array), Step::Index(index)) => array.get_mut(*index),
            _ => None,
        })
}

/// The JSON pointer (`#/paths/~1calls`) of a location in the document, for
/// messages.
fn pointer(steps: &[Step]) -> Pointer {
    steps.iter().fold(Pointer::root(), |at, step| match step {
        Step::Key(key) => at.push(key),
        Step::Index(index) => at.push(index),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// An overlay with the given actions.
    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    /// Applies the actions and returns the result, panicking (in the test) on
    /// error.
    fn applied(mut document: Value, actions: Value) -> Value {
        if let Err(problems) = apply(&mut document, &overlay(actions)) {
            panic!("unexpected problems: {problems:#?}");
        }
        document
    }

    /// Applies the overlay, expects it to fail, checks the document is
    /// unchanged and returns the problems as `pointer: message` lines.
    fn failed(document: Value, overlay: Value) -> Vec<String> {
        let mut copy = document.clone();
        let problems = match apply(&mut copy, &overlay) {
            Ok(()) => panic!("expected problems, got {copy:#}"),
            Err(problems) => problems,
        };
        assert_eq!(copy, document, "the document must be unchanged on error");
        problems.iter().map(ToString::to_string).collect()
    }

    fn assert_has(problems: &[String], expected: &str) {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "no problem contains {expected:?}: {problems:#?}"
        );
    }

    #[test]
    fn update_merges_into_an_object() {
        let doc = applied(
            json!({"info": {"title": "Old", "version": "1.0"}}),
            json!([{"target": "$.info", "update": {"title": "New", "x-logo": "l.png"}}]),
        );
        assert_eq!(
            doc,
            json!({"info": {"title": "New", "version": "1.0", "x-logo": "l.png"}})
        );
    }

    #[test]
    fn update_merges_nested_objects_and_replaces_other_values() {
        let doc = applied(
            json!({"components": {"schemas": {"A": {
                "type": "object",
                "required": ["a"],
                "properties": {"a": {"type": "string"}}
            }}}}),
            json!([{"target": "$", "update": {"components": {"schemas": {"A": {
                "required": ["b"],
                "properties": {"b": {"type": "integer"}},
                "nullable": null
            }}}}}]),
        );
        assert_eq!(
            doc,
            json!({"components": {"schemas": {"A": {
                "type": "object",
                // Arrays inside an update replace, they are not concatenated.
                "required": ["b"],
                "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
                "nullable": null
            }}}})
        );
    }

    #[test]
    fn update_appends_to_an_array() {
        let doc = applied(
            json!({"security": [{"BearerAuth": []}], "tags": []}),
            json!([
                {"target": "$.security", "update": {"ApiKeyAuth": []}},
                {"target": "$.tags", "update": {"name": "Calls"}},
                {"target": "$.tags", "update": ["a", "list", "is", "one", "item"]}
            ]),
        );
        assert_eq!(
            doc["security"],
            json!([{"BearerAuth": []}, {"ApiKeyAuth": []}])
        );
        assert_eq!(
            doc["tags"],
            json!([{"name": "Calls"}, ["a", "list", "is", "one", "item"]])
        );
    }

    #[test]
    fn actions_apply_in_order_to_the_previous_result() {
        let doc = applied(
            json!({"a": {"b": 1}}),
            json!([
                {"target": "$.a", "remove": true},
                {"target": "$", "update": {"a": {"c": 2}}},
                {"target": "$.a", "update": {"d": 3}}
            ]),
        );
        assert_eq!(doc, json!({"a": {"c": 2, "d": 3}}));
    }

    #[test]
    fn remove_deletes_object_members_and_primitives() {
        let doc = applied(
            json!({"paths": {"/a": {}, "/b": {}}, "info": {"title": "t", "x-internal": "yes"}}),
            json!([
                {"target": "$.paths['/a']", "remove": true},
                {"target": "$.info['x-internal']", "remove": true, "description": "primitives too"}
            ]),
        );
        assert_eq!(doc, json!({"paths": {"/b": {}}, "info": {"title": "t"}}));
    }

    #[test]
    fn remove_deletes_several_array_elements() {
        let doc = applied(
            json!({"parameters": [
                {"name": "a"}, {"name": "drop"}, {"name": "b"}, {"name": "drop"}, {"name": "c"}, {"name": "drop"}
            ]}),
            json!([{"target": "$.parameters[?@.name == 'drop']", "remove": true}]),
        );
        assert_eq!(
            doc,
            json!({"parameters": [{"name": "a"}, {"name": "b"}, {"name": "c"}]})
        );

        // Indices given out of order and twice.
        let doc = applied(
            json!({"list": [0, 1, 2, 3, 4]}),
            json!([{"target": "$.list[3, 0, 3, 1]", "remove": true}]),
        );
        assert_eq!(doc, json!({"list": [2, 4]}));
    }

    #[test]
    fn remove_handles_a_node_and_its_descendants_together() {
        let doc = applied(
            json!({"keep": 1, "a": {"gone": true, "b": {"gone": true}}, "c": [{"gone": true}, {"x": 1}]}),
            json!([{"target": "$..[?@.gone]", "remove": true}]),
        );
        assert_eq!(doc, json!({"keep": 1, "c": [{"x": 1}]}));
    }

    #[test]
    fn wildcards_and_filters_select_many_nodes() {
        let doc = json!({"paths": {
            "/calls": {"get": {"parameters": [{"name": "limit", "in": "query"}], "responses": {"200": {}}}},
            "/calls/{id}": {
                "get": {"responses": {"200": {}}},
                "delete": {"responses": {"204": {}}}
            }
        }});
        let doc = applied(
            doc,
            json!([
                {"target": "$.paths.*.*.responses", "update": {"400": {"$ref": "#/components/responses/BadRequest"}}},
                {"target": "$.paths.*.get.parameters[?@.name == 'limit' && @.in == 'query']",
                 "update": {"schema": {"maximum": 100}}},
                {"target": "$.paths['/calls/{id}']['get','delete'].responses", "update": {"401": {}}}
            ]),
        );
        for (path, method) in [
            ("/calls", "get"),
            ("/calls/{id}", "get"),
            ("/calls/{id}", "delete"),
        ] {
            let responses = &doc["paths"][path][method]["responses"];
            assert!(
                responses.get("400").is_some(),
                "{path} {method}: {responses}"
            );
            assert_eq!(
                responses.get("401").is_some(),
                path != "/calls",
                "{path} {method}"
            );
        }
        assert_eq!(
            doc["paths"]["/calls"]["get"]["parameters"][0]["schema"]["maximum"],
            100
        );
    }

    #[test]
    fn a_target_that_selects_nothing_is_an_error() {
        let doc = json!({"components": {"schemas": {"Call": {}}}});
        let problems = failed(
            doc,
            overlay(json!([
                {"target": "$.components.schemas.Call", "update": {"type": "object"}},
                {"target": "$.components.schemas.Cal", "update": {"type": "object"}}
            ])),
        );
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_has(
            &problems,
            "#/actions/1/target: `$.components.schemas.Cal` selects nothing",
        );
    }

    #[test]
    fn an_invalid_jsonpath_is_reported_with_its_position() {
        let problems = failed(
            json!({}),
            overlay(json!([
                {"target": "$.paths./calls", "remove": true},
                {"target": "paths", "remove": true},
                {"target": "$['a'", "remove": true}
            ])),
        );
        assert_eq!(problems.len(), 3, "{problems:#?}");
        assert_has(
            &problems,
            "#/actions/0/target: invalid JSONPath `$.paths./calls` at column 9 (`/calls`): ",
        );
        assert_has(
            &problems,
            "#/actions/2/target: invalid JSONPath `$['a'` at its end: ",
        );
        assert_has(&problems, "#/actions/1/target: invalid JSONPath `paths`");
        assert_has(&problems, "quoted brackets");
    }

    #[test]
    fn update_of_a_scalar_or_with_a_non_object_is_an_error() {
        let doc = json!({"info": {"title": "t"}, "paths": {}});
        let problems = failed(
            doc,
            overlay(json!([
                {"target": "$.info.title", "update": "New"},
                {"target": "$.paths", "update": ["x"]}
            ])),
        );
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_has(
            &problems,
            "#/actions/0/target: `$.info.title` selects a string (#/info/title)",
        );
        assert_has(&problems, "#/actions/1/update: `$.paths` selects an object (#/paths), so `update` must be an object");
    }

    #[test]
    fn removing_the_root_is_an_error() {
        let problems = failed(json!({}), overlay(json!([{"target": "$", "remove": true}])));
        assert_has(
            &problems,
            "#/actions/0/target: `$` selects the document root",
        );
    }

    #[test]
    fn a_malformed_overlay_reports_every_problem() {
        let problems = failed(json!({}), json!([]));
        assert_has(&problems, "#: an overlay must be an object, not an array");

        let problems = failed(json!({}), json!({"info": "x", "extends": 1, "updates": []}));
        assert_has(&problems, "#: missing `overlay` version field");
        assert_has(&problems, "#/info: `info` must be an object");
        assert_has(&problems, "#/extends: `extends` must be a string");
        assert_has(
            &problems,
            "#/updates: unknown field `updates` in the overlay",
        );
        assert_has(&problems, "#: missing `actions`");

        let problems = failed(
            json!({}),
            json!({"overlay": "2.0.0", "info": {"title": 1}, "actions": [], "x-ok": true}),
        );
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert_has(
            &problems,
            "#/overlay: Overlay version 2.0.0 is not supported",
        );
        assert_has(&problems, "#/info/title: `info.title` must be a string");
        assert_has(&problems, "#/info: `info` has no `version`");
        assert_has(&problems, "#/actions: `actions` is empty");

        let problems = failed(
            json!({}),
            json!({"overlay": 1.0, "info": {"title": "t", "version": "1"}, "actions": {}}),
        );
        assert_has(
            &problems,
            "#/overlay: `overlay` must be a string, not a number",
        );
        assert_has(
            &problems,
            "#/actions: `actions` must be a list, not an object",
        );

        let problems = failed(
            json!({}),
            json!({"overlay": "1.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "$", "update": {}}]}),
        );
        assert_has(
            &problems,
            "#/overlay: `overlay` must be a version like `1.0.0`, not `1.0`",
        );
    }

    #[test]
    fn malformed_actions_are_all_reported() {
        let problems = failed(
            json!({"a": {}}),
            overlay(json!([
                "not an action",
                {"update": {}},
                {"target": 5, "update": {}},
                {"target": "$.a", "remove": "yes"},
                {"target": "$.a", "updates": {}},
                {"target": "$.a"},
                {"target": "$.a", "remove": false},
                {"target": "$.a", "copy": "$.b", "x-note": 1},
                {"target": "$.a", "update": {}, "description": ["no"]},
                {"target": "$.a", "update": {"b": 1}},
                {"target": "$.a", "update": {"b": 1}}
            ])),
        );
        let expected = [
            "#/actions/0: an action must be an object, not a string",
            "#/actions/1: the action has no `target`",
            "#/actions/2/target: `target` must be a JSONPath string, not a number",
            "#/actions/3/remove: `remove` must be `true` or `false`, not a string",
            "#/actions/4/updates: unknown field `updates` in an action",
            "#/actions/5: the action has neither `update` nor `remove: true`",
            "#/actions/6/remove: `remove: false` without an `update` does nothing",
            "#/actions/7/copy: unknown field `copy` in an action (hint: `copy` is an Overlay 1.1 action",
            "#/actions/8/description: `description` must be a string",
            "#/actions/10: this action repeats action 9",
        ];
        for e in expected {
            assert_has(&problems, e);
        }
        // One problem each, except action 4 (unknown field, and so no change)
        // and action 7 (likewise).
        assert_eq!(problems.len(), expected.len() + 2, "{problems:#?}");
    }

    #[test]
    fn remove_true_ignores_update() {
        let doc = applied(
            json!({"a": {}, "b": 1}),
            json!([{"target": "$.a", "remove": true, "update": {"x": 1}}]),
        );
        assert_eq!(doc, json!({"b": 1}));
    }

    #[test]
    fn problems_in_several_actions_are_all_reported() {
        let problems = failed(
            json!({"a": {}}),
            overlay(json!([
                {"target": "$.missing", "update": {}},
                {"target": "$.a", "update": {"ok": true}},
                {"target": "$.a.ok", "update": {}}
            ])),
        );
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_has(&problems, "#/actions/0/target");
        assert_has(&problems, "#/actions/2/target: `$.a.ok` selects a boolean");
    }

    /// Reads a YAML file of the workspace's `spec/` folder as JSON.
    fn spec_file(name: &str) -> Value {
        let path = format!("{}/../spec/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_yaml::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Whether `big` has everything `small` has: every object member
    /// (recursively) and every array element, in order, at the same place.
    fn keeps(big: &Value, small: &Value) -> bool {
        match (big, small) {
            (Value::Object(big), Value::Object(small)) => small
                .iter()
                .all(|(key, value)| big.get(key).is_some_and(|b| keeps(b, value))),
            (Value::Array(big), Value::Array(small)) => {
                big.len() >= small.len() && big.iter().zip(small).all(|(b, s)| keeps(b, s))
            }
            _ => big == small,
        }
    }

    #[test]
    fn the_project_overlay_applies_to_the_project_spec() {
        let original = spec_file("openapi.yaml");
        let overlay = spec_file("overlay.yaml");
        let mut doc = original.clone();
        if let Err(problems) = apply(&mut doc, &overlay) {
            panic!("the project overlay does not apply: {problems:#?}");
        }
        assert!(
            keeps(&doc, &original),
            "the overlay must only add to the upstream spec"
        );

        let components = &doc["components"];
        assert_eq!(
            components["securitySchemes"]["ApiKeyAuth"],
            json!({"type": "apiKey", "in": "header", "name": "x-api-key",
                   "description": components["securitySchemes"]["ApiKeyAuth"]["description"]})
        );
        assert_eq!(
            doc["security"],
            json!([{"BearerAuth": []}, {"ApiKeyAuth": []}])
        );
        assert_eq!(
            components["schemas"]["CallsListResponse"]["required"],
            json!(["data", "total", "page", "limit", "total_pages"])
        );
        assert_eq!(
            components["schemas"]["CallStats"]["additionalProperties"],
            json!(false)
        );
        for name in ["BadRequest", "Unauthorized", "Forbidden", "NotFound"] {
            assert_eq!(
                components["responses"][name]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{name}"
            );
        }
        let operations = [
            ("/calls", "get", "200"),
            ("/calls/{id}", "get", "200"),
            ("/calls/{id}", "delete", "204"),
        ];
        for (path, method, success) in operations {
            let responses = &doc["paths"][path][method]["responses"];
            assert!(responses.get(success).is_some(), "{method} {path}");
            for (code, component) in [
                ("400", "BadRequest"),
                ("401", "Unauthorized"),
                ("403", "Forbidden"),
            ] {
                assert_eq!(
                    responses[code]["$ref"],
                    format!("#/components/responses/{component}"),
                    "{method} {path} {code}"
                );
            }
            if path != "/calls" {
                assert_eq!(responses["404"]["$ref"], "#/components/responses/NotFound");
            }
        }
    }
}
