//! `format: binary` fields inside JSON, as strings (the bytes as text,
//! invalid UTF-8 replaced) rather than arrays of numbers. Used through
//! `#[serde(with = "::krosai_runtime::binary")]` and
//! `#[serde(with = "::krosai_runtime::binary::option")]`.

/// Writes the bytes as a JSON string.
pub fn serialize<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&String::from_utf8_lossy(bytes))
}

/// Reads a JSON string as its bytes.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    let text: String = serde::Deserialize::deserialize(deserializer)?;
    Ok(text.into_bytes())
}

/// Bytes written and read as a string: `Text(&bytes)` and
/// `Text(&Option<bytes>)` serialize, `Text<Vec<u8>>` and
/// `Text<Option<Vec<u8>>>` deserialize (for [`object!`](crate::object!)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text<T>(pub T);

impl serde::Serialize for Text<&Vec<u8>> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(self.0, serializer)
    }
}

impl serde::Serialize for Text<&Option<Vec<u8>>> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        option::serialize(self.0, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Text<Vec<u8>> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer).map(Text)
    }
}

impl<'de> serde::Deserialize<'de> for Text<Option<Vec<u8>>> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        option::deserialize(deserializer).map(Text)
    }
}

/// The same for an optional field.
pub mod option {
    /// Writes the bytes as a JSON string, or `null`.
    pub fn serialize<S: serde::Serializer>(
        bytes: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => super::serialize(bytes, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a JSON string (or `null`) as its bytes.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        let text: Option<String> = serde::Deserialize::deserialize(deserializer)?;
        Ok(text.map(String::into_bytes))
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct File {
        #[serde(with = "crate::binary")]
        content: Vec<u8>,
        #[serde(default, with = "crate::binary::option")]
        thumbnail: Option<Vec<u8>>,
    }

    #[test]
    fn bytes_are_json_strings() {
        let file = File {
            content: b"hello".to_vec(),
            thumbnail: None,
        };
        let json = serde_json::to_string(&file).unwrap();
        assert_eq!(json, r#"{"content":"hello","thumbnail":null}"#);
        assert_eq!(serde_json::from_str::<File>(&json).unwrap(), file);
        let back: File = serde_json::from_str(r#"{"content":"a","thumbnail":"b"}"#).unwrap();
        assert_eq!(back.thumbnail.as_deref(), Some(&b"b"[..]));
    }
}
