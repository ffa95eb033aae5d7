//! `diff` on one fixture pair per change kind (`tests/fixtures/diff`: a base
//! spec and an overlay per change), on real successive versions of public
//! specs (`tests/fixtures/spec-pairs`), and on every pair of specs at hand
//! (it never panics, and a spec against itself has no changes).

use std::path::{Path, PathBuf};

use krosai_codegen::diff::{Bump, ChangeKind, Report, RustImpact, Wire};
use krosai_codegen::Generator;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(change: &str) -> Report {
    let dir = repo().join("tests/fixtures/diff");
    let base = dir.join("base.yaml");
    let old = Generator::new()
        .model(&base)
        .unwrap_or_else(|e| panic!("{e}"));
    let new = Generator::new()
        .overlay(dir.join("changes").join(format!("{change}.yaml")))
        .model(&base)
        .unwrap_or_else(|e| panic!("{e}"));
    krosai_codegen::diff::compare(&old, &new, Generator::new().diff_options())
}

use RustImpact::{Additive, Breaking, Docs};
use Wire::{Breaking as Breaks, Safe};

/// Each fixture's main change: its kind, Rust verdict and wire verdicts
/// (old client against a new server, new client against an old server),
/// and the crate's semver bump.
const EXPECTED: &[(&str, ChangeKind, RustImpact, Wire, Wire, Bump)] = &[
    // Old clients keep the new value as `Unknown`; an old server refuses
    // it in a query parameter.
    (
        "enum_value_added",
        ChangeKind::EnumValueAdded,
        Additive,
        Safe,
        Breaks,
        Bump::Minor,
    ),
    (
        "enum_value_removed",
        ChangeKind::EnumValueRemoved,
        Breaking,
        Breaks,
        Breaks,
        Bump::Major,
    ),
    (
        "response_field_added",
        ChangeKind::FieldAdded,
        Additive,
        Safe,
        Safe,
        Bump::Minor,
    ),
    (
        "request_field_added_required",
        ChangeKind::FieldAdded,
        Breaking,
        Breaks,
        Safe,
        Bump::Major,
    ),
    (
        "field_removed",
        ChangeKind::FieldRemoved,
        Breaking,
        Safe,
        Safe,
        Bump::Major,
    ),
    (
        "field_type_changed",
        ChangeKind::FieldChanged,
        Breaking,
        Breaks,
        Breaks,
        Bump::Major,
    ),
    (
        "field_now_optional",
        ChangeKind::FieldChanged,
        Breaking,
        Breaks,
        Safe,
        Bump::Major,
    ),
    // Servers answer 501 for it until they implement the trait method.
    (
        "operation_added",
        ChangeKind::OperationAdded,
        Additive,
        Safe,
        Breaks,
        Bump::Minor,
    ),
    (
        "operation_removed",
        ChangeKind::OperationRemoved,
        Breaking,
        Breaks,
        Safe,
        Bump::Major,
    ),
    // The endpoint stays: only the Rust names change.
    (
        "operation_renamed",
        ChangeKind::OperationChanged,
        Breaking,
        Safe,
        Safe,
        Bump::Major,
    ),
    (
        "path_changed",
        ChangeKind::OperationChanged,
        Docs,
        Breaks,
        Breaks,
        Bump::Patch,
    ),
    (
        "parameter_added_optional",
        ChangeKind::ParameterAdded,
        Additive,
        Safe,
        Safe,
        Bump::Minor,
    ),
    (
        "parameter_added_required",
        ChangeKind::ParameterAdded,
        Breaking,
        Breaks,
        Safe,
        Bump::Major,
    ),
    (
        "parameter_bound_narrowed",
        ChangeKind::ParameterChanged,
        Docs,
        Breaks,
        Safe,
        Bump::Patch,
    ),
    (
        "parameter_bound_widened",
        ChangeKind::ParameterChanged,
        Docs,
        Safe,
        Breaks,
        Bump::Patch,
    ),
    (
        "request_body_optional",
        ChangeKind::RequestBodyChanged,
        Breaking,
        Safe,
        Breaks,
        Bump::Major,
    ),
    (
        "response_added",
        ChangeKind::ResponseAdded,
        Additive,
        Safe,
        Safe,
        Bump::Minor,
    ),
    // A new success status is lost to an old client.
    (
        "success_added",
        ChangeKind::ResponseAdded,
        Additive,
        Breaks,
        Safe,
        Bump::Major,
    ),
    (
        "variant_added",
        ChangeKind::VariantAdded,
        Additive,
        Safe,
        Safe,
        Bump::Minor,
    ),
    ("docs_only", ChangeKind::Docs, Docs, Safe, Safe, Bump::Patch),
    // Same shape under a new name: the Rust names break, the wire does not.
    (
        "type_renamed",
        ChangeKind::TypeRemoved,
        Breaking,
        Safe,
        Safe,
        Bump::Major,
    ),
    (
        "security_removed",
        ChangeKind::SecurityChanged,
        Docs,
        Safe,
        Breaks,
        Bump::Patch,
    ),
];

#[test]
fn every_fixture_change_is_classified() {
    let dir = repo().join("tests/fixtures/diff/changes");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|e| e.0.to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every fixture has an expectation");
    for &(change, kind, rust, old_client, new_client, bump) in EXPECTED {
        let report = fixture(change);
        let main = report
            .changes
            .iter()
            .find(|c| c.kind == kind)
            .unwrap_or_else(|| panic!("{change}: no {kind:?} in {:#?}", report.changes));
        assert_eq!(
            (main.rust, main.old_client, main.new_client),
            (rust, old_client, new_client),
            "{change}: {main:#?}"
        );
        assert_eq!(report.bump(), bump, "{change}");
        assert!(main.pointer.starts_with("#/"), "{change}: {}", main.pointer);
        insta::assert_snapshot!(format!("diff_{change}"), report.to_markdown());
    }
}

#[test]
fn changes_name_the_rust_items_they_touch() {
    let report = fixture("enum_value_added");
    let change = &report.changes[0];
    assert_eq!(change.items, ["types::Kind::Bird"]);
    assert_eq!(change.pointer, "#/components/schemas/Kind");
    let report = fixture("parameter_added_required");
    let change = report
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::ParameterAdded)
        .unwrap();
    assert_eq!(
        change.items,
        [
            "client::Client::list_pets(x_tenant)",
            "server::ListPetsRequest::x_tenant"
        ]
    );
    let report = fixture("operation_added");
    assert_eq!(
        report.changes[0].items,
        ["client::Client::delete_pet", "server::PetsApi::delete_pet"]
    );
}

#[test]
fn when_servers_must_implement_every_method_a_new_operation_breaks() {
    let dir = repo().join("tests/fixtures/diff");
    let generator = Generator::new().require_all_methods(true);
    let old = generator.model(dir.join("base.yaml")).unwrap();
    let new = generator
        .clone()
        .overlay(dir.join("changes/operation_added.yaml"))
        .model(dir.join("base.yaml"))
        .unwrap();
    let report = krosai_codegen::diff::compare(&old, &new, generator.diff_options());
    assert_eq!(report.bump(), Bump::Major);
    assert!(report.changes[0]
        .message
        .contains("servers must implement it"));
}

#[test]
fn without_a_server_a_new_operation_is_additive() {
    let dir = repo().join("tests/fixtures/diff");
    let generator = Generator::new().server(false);
    let old = generator.model(dir.join("base.yaml")).unwrap();
    let new = generator
        .clone()
        .overlay(dir.join("changes/operation_added.yaml"))
        .model(dir.join("base.yaml"))
        .unwrap();
    let report = krosai_codegen::diff::compare(&old, &new, generator.diff_options());
    assert_eq!(report.bump(), Bump::Minor);
    assert!(!report.is_breaking());
}

#[test]
fn with_closed_enums_a_new_value_breaks() {
    let dir = repo().join("tests/fixtures/diff");
    let generator = Generator::new().closed_enums(true);
    let old = generator.model(dir.join("base.yaml")).unwrap();
    let new = generator
        .clone()
        .overlay(dir.join("changes/enum_value_added.yaml"))
        .model(dir.join("base.yaml"))
        .unwrap();
    let report = krosai_codegen::diff::compare(&old, &new, generator.diff_options());
    let change = &report.changes[0];
    assert_eq!(change.kind, ChangeKind::EnumValueAdded);
    // An exhaustive match breaks, and an old client cannot decode the value.
    assert_eq!(
        (change.rust, change.old_client),
        (Breaking, Breaks),
        "{change:#?}"
    );
}

fn pair(name: &str) -> Report {
    let dir = repo().join("tests/fixtures/spec-pairs").join(name);
    let file = |stem: &str| {
        ["yaml", "json"]
            .iter()
            .map(|ext| dir.join(format!("{stem}.{ext}")))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("{}: no {stem}.yaml or .json", dir.display()))
    };
    Generator::new()
        .diff(file("old"), file("new"))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn real_pair_twilio_lookups_adds_an_optional_query_parameter() {
    let report = pair("twilio-lookups-v2-optional-query-param");
    let added: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::ParameterAdded)
        .collect();
    assert_eq!(added.len(), 1, "{:#?}", report.changes);
    assert_eq!(added[0].rust, Additive);
    assert!(
        added[0].message.contains("`PartnerSubId"),
        "{}",
        added[0].message
    );
    assert!(!report.is_breaking(), "{}", report.to_markdown());
    insta::assert_snapshot!("pair_twilio_lookups", report.to_markdown());
}

#[test]
fn real_pair_spotify_renames_a_property() {
    let report = pair("spotify-property-renamed");
    assert!(report.is_breaking());
    assert_eq!(report.bump(), Bump::Major);
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::FieldRemoved && c.message.contains("`album`")),
        "{}",
        report.to_markdown()
    );
    assert!(report
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::FieldAdded && c.message.contains("`audiobook")));
    insta::assert_snapshot!("pair_spotify", report.to_markdown());
}

#[test]
fn real_pair_vonage_changes_property_types() {
    let report = pair("vonage-sms-property-type-changed");
    let changed: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::FieldChanged)
        .collect();
    assert_eq!(changed.len(), 2, "{}", report.to_markdown());
    assert!(changed.iter().all(|c| c.rust == Breaking));
    insta::assert_snapshot!("pair_vonage", report.to_markdown());
}

#[test]
fn real_pair_twilio_trunking_changes_descriptions_only() {
    let report = pair("twilio-trunking-v1-descriptions-only");
    assert!(!report.changes.is_empty());
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.rust == Docs && c.old_client == Safe && c.new_client == Safe),
        "{}",
        report.to_markdown()
    );
    assert_eq!(report.bump(), Bump::Patch);
}

/// Every spec at hand: the fixtures, the spec pairs, the bundled spec, and
/// the shared corpus when it is there.
fn specs() -> Vec<PathBuf> {
    let mut specs = Vec::new();
    let mut dirs = vec![repo().join("tests/fixtures"), repo().join("spec")];
    let pairs = repo().join("tests/fixtures/spec-pairs");
    if let Ok(entries) = std::fs::read_dir(&pairs) {
        dirs.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
    }
    let corpus = repo().join("../shared/corpus");
    if corpus.is_dir() {
        dirs.push(corpus);
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            let spec = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            ) && !path.ends_with("overlay.yaml");
            if spec {
                specs.push(path);
            }
        }
    }
    specs.sort();
    specs
}

#[test]
fn every_pair_of_specs_compares_and_each_spec_equals_itself() {
    let models: Vec<_> = specs()
        .into_iter()
        .filter_map(|path| Generator::new().model(&path).ok().map(|m| (path, m)))
        .collect();
    assert!(models.len() > 15, "{} specs lowered", models.len());
    for (path, model) in &models {
        let report = krosai_codegen::diff::compare(model, model, Default::default());
        assert!(
            report.changes.is_empty(),
            "{}: {:#?}",
            path.display(),
            report.changes
        );
    }
    for (_, old) in &models {
        for (_, new) in &models {
            let report = krosai_codegen::diff::compare(old, new, Default::default());
            // Whatever the pair, the report renders.
            assert!(report.to_markdown().starts_with("## "));
            assert!(report.to_json()["changes"].is_array());
        }
    }
}

#[test]
fn openapi_3_1_constructs_compare_like_3_0_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = |second: &str, nickname: &str| {
        format!(
            r#"openapi: 3.1.0
info: {{ title: T, version: "1" }}
paths: {{}}
components:
  schemas:
    Pair:
      type: array
      prefixItems: [{{ type: string }}, {{ type: {second} }}]
      items: false
    Pet:
      type: object
      required: [name]
      properties:
        name: {{ type: string }}
        nickname: {{ type: {nickname} }}
"#
        )
    };
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, spec("string", "string")).expect("writes");
    std::fs::write(&new, spec("integer", "[string, \"null\"]")).expect("writes");
    let report = Generator::new().diff(&old, &new).expect("both load");
    let text = report.to_markdown();
    assert!(
        text.contains("`Pair` is `(String, i64)`, was `(String, String)`"),
        "{text}"
    );
    assert!(report.is_breaking(), "{text}");
    // A property that becomes nullable is reported as it is in 3.0.
    let nullable = Generator::new()
        .diff(&old, &{
            let path = dir.path().join("nullable.yaml");
            std::fs::write(&path, spec("string", "[string, \"null\"]")).expect("writes");
            path
        })
        .expect("both load");
    assert!(!nullable.changes.is_empty(), "{}", nullable.to_markdown());
}
