//! Finds the line and column of a JSON path in the text of a spec.
//!
//! `serde_json` reports positions only for syntax errors; problems found later (an unknown
//! key, an enum on a number) are known by their JSON path. This module scans the text once
//! and records where every value and key starts, so each path can be turned into a position.

use crate::diag::{JsonPath, Segment, Target};

/// 1-based line and column (in characters).
type Position = (usize, usize);

#[derive(Debug)]
enum Node {
    /// Members in document order: key, position of the key, position of the value, value.
    Object(Vec<(String, Position, Position, Node)>),
    /// Items with their positions.
    Array(Vec<(Position, Node)>),
    Scalar,
}

/// The positions of all keys and values of one JSON document.
#[derive(Debug)]
pub struct Index {
    root_position: Position,
    root: Node,
}

impl Index {
    /// Scans `text`; `None` when it is not well-formed JSON (the parser reports that itself).
    pub fn new(text: &str) -> Option<Self> {
        let mut scanner = Scanner {
            chars: text.char_indices().peekable(),
            text,
            line: 1,
            column: 1,
        };
        scanner.skip_whitespace();
        let root_position = scanner.position();
        let root = scanner.value(0)?;
        Some(Self {
            root_position,
            root,
        })
    }

    /// Where the value at `path` (or its key, for [`Target::Key`]) starts. For a path that
    /// does not exist, the position of its longest existing prefix.
    pub fn position(&self, path: &JsonPath, target: Target) -> Option<Position> {
        let mut node = &self.root;
        let mut value_position = self.root_position;
        let mut key_position = self.root_position;
        for segment in &path.0 {
            let next = match (segment, node) {
                (Segment::Key(key), Node::Object(members)) => members
                    .iter()
                    .find(|(name, ..)| name == key)
                    .map(|(_, key_at, value_at, child)| (*key_at, *value_at, child)),
                (Segment::Index(index), Node::Array(items)) => items
                    .get(*index)
                    .map(|(value_at, child)| (*value_at, *value_at, child)),
                _ => None,
            };
            let Some((key_at, value_at, child)) = next else {
                return Some(value_position);
            };
            key_position = key_at;
            value_position = value_at;
            node = child;
        }
        Some(match target {
            Target::Key => key_position,
            Target::Value => value_position,
        })
    }
}

struct Scanner<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    line: usize,
    column: usize,
}

/// Deeper documents are not specs; the limit keeps a malicious file from overflowing the stack.
const MAX_DEPTH: usize = 256;

impl Scanner<'_> {
    fn position(&self) -> Position {
        (self.line, self.column)
    }

    fn bump(&mut self) -> Option<(usize, char)> {
        let next = self.chars.next()?;
        if next.1 == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(next)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn expect(&mut self, expected: char) -> Option<()> {
        self.skip_whitespace();
        (self.bump()?.1 == expected).then_some(())
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        match self.peek()? {
            '{' => self.object(depth),
            '[' => self.array(depth),
            '"' => self.string().map(|_| Node::Scalar),
            _ => {
                // Numbers, `true`, `false`, `null`: everything up to the next delimiter.
                let mut any = false;
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                {
                    self.bump();
                    any = true;
                }
                any.then_some(Node::Scalar)
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Node> {
        self.bump();
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek()? == '}' {
            self.bump();
            return Some(Node::Object(members));
        }
        loop {
            self.skip_whitespace();
            let key_position = self.position();
            let key = self.string()?;
            self.expect(':')?;
            self.skip_whitespace();
            let value_position = self.position();
            let value = self.value(depth + 1)?;
            members.push((key, key_position, value_position, value));
            self.skip_whitespace();
            match self.bump()?.1 {
                ',' => continue,
                '}' => return Some(Node::Object(members)),
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Node> {
        self.bump();
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek()? == ']' {
            self.bump();
            return Some(Node::Array(items));
        }
        loop {
            self.skip_whitespace();
            let position = self.position();
            items.push((position, self.value(depth + 1)?));
            self.skip_whitespace();
            match self.bump()?.1 {
                ',' => continue,
                ']' => return Some(Node::Array(items)),
                _ => return None,
            }
        }
    }

    /// A string literal, decoded (escapes resolved by serde_json).
    fn string(&mut self) -> Option<String> {
        let (start, quote) = self.bump()?;
        if quote != '"' {
            return None;
        }
        loop {
            let (at, c) = self.bump()?;
            match c {
                '\\' => {
                    self.bump()?;
                }
                '"' => return serde_json::from_str(&self.text[start..=at]).ok(),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &JsonPath, target: Target) -> Option<Position> {
        Index::new(text)?.position(path, target)
    }

    #[test]
    fn finds_values_and_keys_by_path() {
        let text = "{\n  \"a\": [\n    {\"b\": 1},\n    {\"c\": \"x\\\"y\"}\n  ]\n}";
        let root = JsonPath::root();
        assert_eq!(at(text, &root.key("a"), Target::Key), Some((2, 3)));
        assert_eq!(at(text, &root.key("a"), Target::Value), Some((2, 8)));
        assert_eq!(
            at(text, &root.key("a").index(1), Target::Value),
            Some((4, 5))
        );
        assert_eq!(
            at(text, &root.key("a").index(1).key("c"), Target::Key),
            Some((4, 6))
        );
        assert_eq!(
            at(text, &root.key("a").index(1).key("c"), Target::Value),
            Some((4, 11))
        );
    }

    #[test]
    fn a_missing_path_points_at_its_longest_existing_prefix() {
        let text = "{\"a\": {\"b\": 1}}";
        let root = JsonPath::root();
        assert_eq!(
            at(text, &root.key("a").key("zzz"), Target::Value),
            Some((1, 7))
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"ä\": 1, \"b\": 2}";
        assert_eq!(
            at(text, &JsonPath::root().key("b"), Target::Key),
            Some((1, 10))
        );
    }

    #[test]
    fn malformed_text_has_no_index() {
        assert!(Index::new("{\"a\": ").is_none());
    }
}
