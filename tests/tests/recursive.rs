//! `fixtures/recursive.yaml`: recursive types have a finite size (a `Box`
//! where a cycle holds values directly, none through a `Vec` or a map) and
//! deep values round-trip.

mod common;

use std::collections::BTreeMap;

use common::round_trip;
use krosai_fixtures::recursive::types::{
    BinOp, BinOpOp, Category, Comment, Company, Directory, Expr, Left, Node, Person, Right, Tree,
};
use serde_json::{json, Value};

/// Recursion depth of the deep tests: deep enough to matter, well under
/// serde_json's nesting limit of 128.
const DEPTH: usize = 60;

#[test]
fn the_boxes_are_where_the_cycles_hold_values() {
    // These bindings would not compile if a Box were missing or added.
    let node = Node::new(1);
    let _: Option<Box<Node>> = node.next;
    let category = Category::new(String::new(), vec![]);
    let _: Vec<Category> = category.children;
    let person = Person::new(String::new());
    let _: Option<Box<Company>> = person.employer;
    let left = Left::new(Box::<Right>::default());
    let _: Box<Right> = left.right;
    let directory = Directory::new(BTreeMap::new());
    let _: BTreeMap<String, Directory> = directory.entries;
    let tree = Tree(vec![]);
    let _: Vec<Tree> = tree.0;
    let comment = Comment::new(String::new());
    let _: Option<Box<Comment>> = comment.parent;
    let _: Option<Vec<Comment>> = comment.replies;
    let expr = Expr::BinOp(Box::new(BinOp::new(
        BinOpOp::Add,
        Box::new(Expr::Integer(1)),
        Box::new(Expr::Integer(2)),
    )));
    assert!(matches!(expr, Expr::BinOp(_)));
}

#[test]
fn a_deep_linked_list_round_trips() {
    let mut json = json!({"value": 0});
    for value in 1..DEPTH as i64 {
        json = json!({"value": value, "next": json});
    }
    let mut node: &Node = &round_trip::<Node>(json);
    let mut seen = 0;
    while let Some(next) = &node.next {
        assert_eq!(node.value, (DEPTH - 1 - seen) as i64);
        node = next;
        seen += 1;
    }
    assert_eq!(seen, DEPTH - 1);
}

#[test]
fn a_deep_tree_of_categories_round_trips() {
    let mut json = json!({"name": "leaf", "children": []});
    for level in 0..DEPTH / 2 {
        json = json!({
            "name": format!("level {level}"),
            "children": [json, {"name": "sibling", "children": []}]
        });
    }
    let root: Category = round_trip(json);
    assert_eq!(root.children.len(), 2);
}

#[test]
fn mutually_recursive_structs_round_trip() {
    let person: Person = round_trip(json!({
        "name": "Ada",
        "employer": {
            "title": "Engines Ltd",
            "ceo": {"name": "Charles", "employer": {"title": "Other"}}
        }
    }));
    let employer = person.employer.expect("employer");
    assert_eq!(employer.title, "Engines Ltd");
    assert_eq!(employer.ceo.expect("ceo").name, "Charles");

    let mut json = json!({"right": {}});
    for _ in 0..DEPTH / 2 {
        json = json!({"right": {"left": json}});
    }
    round_trip::<Left>(json);
}

#[test]
fn recursion_through_a_map_round_trips() {
    let mut json = json!({"entries": {}});
    for level in 0..DEPTH {
        json = json!({"entries": {format!("d{level}"): json, "empty": {"entries": {}}}});
    }
    let directory: Directory = round_trip(json);
    assert_eq!(directory.entries.len(), 2);
}

#[test]
fn the_recursive_array_alias_is_a_transparent_newtype() {
    let tree: Tree = round_trip(json!([[], [[]], [[], [[]]]]));
    assert_eq!(tree.0.len(), 3);
    assert_eq!(tree.0[2].0[1].0.len(), 1);
    let mut json = json!([]);
    for _ in 0..DEPTH {
        json = Value::Array(vec![json, json!([])]);
    }
    round_trip::<Tree>(json);
}

#[test]
fn recursion_through_a_union_round_trips() {
    let mut json = json!(1);
    for level in 0..DEPTH / 2 {
        let op = if level % 2 == 0 { "add" } else { "mul" };
        json = json!({"op": op, "left": json, "right": level});
    }
    let expr: Expr = round_trip(json);
    let Expr::BinOp(top) = expr else {
        panic!("not an operation");
    };
    assert_eq!(top.op, BinOpOp::Mul);
    assert_eq!(*top.right, Expr::Integer((DEPTH / 2 - 1) as i64));
}

#[test]
fn recursion_through_allof_round_trips() {
    let comment: Comment = round_trip(json!({
        "text": "reply",
        "parent": {"text": "root", "replies": []},
        "replies": [
            {"text": "a", "replies": [{"text": "a.1"}]},
            {"text": "b", "parent": {"text": "reply"}}
        ]
    }));
    assert_eq!(comment.parent.expect("parent").text, "root");
    assert_eq!(comment.replies.expect("replies").len(), 2);
}
