//! Typed values from YAML already parsed, with the path to the value a type refused: serde's
//! errors from a parsed value carry no position, so the keys are tracked here and the caller
//! finds the line they are written on.

use std::cell::RefCell;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use yaml_serde::{Error, Value};

use super::Refused;

/// A step from a document's root to one of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where the first refusal happened: the path to the value, and whether the key itself (not its
/// value) was refused, as an unknown field is.
type Failure = (Vec<Step>, bool);

/// Deserializes `T` from `value`, naming in errors the path of the value refused.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, Refused> {
    let failed = RefCell::new(None);
    let tracked = Tracked {
        value,
        path: Vec::new(),
        failed: &failed,
    };
    T::deserialize(tracked).map_err(|e| {
        let (path, key_refused) = failed.take().unwrap_or_default();
        // Like the parser's own messages: an unknown key is reported on the mapping holding it.
        let shown = match path.split_last() {
            Some((_, mapping)) if key_refused => mapping,
            _ => path.as_slice(),
        };
        let shown = display(shown);
        let keys = path
            .into_iter()
            .filter_map(|step| match step {
                Step::Key(key) => Some(key),
                Step::Index(_) => None,
            })
            .collect();
        Refused {
            path: shown,
            message: e.to_string(),
            keys,
            line: None,
        }
    })
}

/// `offers.t3.medium.usd_per_hour`, `scenarios.api.hourly_profile[0]`; `None` at the root.
fn display(path: &[Step]) -> Option<String> {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => out.push_str(&format!(".{key}")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Keeps the first (innermost) refusal: errors pass outwards through every enclosing level.
fn record(failed: &RefCell<Option<Failure>>, path: Vec<Step>, key_refused: bool) {
    let mut failed = failed.borrow_mut();
    if failed.is_none() {
        *failed = Some((path, key_refused));
    }
}

fn step(key: &Value) -> Step {
    match key {
        Value::String(s) => Step::Key(s.clone()),
        Value::Number(n) => Step::Key(n.to_string()),
        Value::Bool(b) => Step::Key(b.to_string()),
        other => Step::Key(format!("{other:?}")),
    }
}

/// A value being deserialized, and the path to it.
struct Tracked<'a> {
    value: &'a Value,
    path: Vec<Step>,
    failed: &'a RefCell<Option<Failure>>,
}

impl<'a> Tracked<'a> {
    fn child(&self, value: &'a Value, step: Step) -> Tracked<'a> {
        let mut path = self.path.clone();
        path.push(step);
        Tracked {
            value,
            path,
            failed: self.failed,
        }
    }

    fn visit_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Mapping(map) => visitor.visit_map(TrackedMap {
                entries: map.iter(),
                pending: None,
                parent: self,
            }),
            other => other.deserialize_any(visitor),
        }
    }

    fn visit_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Sequence(list) => visitor.visit_seq(TrackedSeq {
                items: list.iter().enumerate(),
                parent: self,
            }),
            other => other.deserialize_seq(visitor),
        }
    }
}

macro_rules! forward {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            self.value.$method(visitor)
        })*
    };
}

impl<'a> Deserializer<'a> for Tracked<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Mapping(_) => self.visit_map(visitor),
            Value::Sequence(_) => self.visit_seq(visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    // Read from text, a plain `2024` or `true` is a string where a string is wanted: so here too.
    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            other => other.deserialize_str(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Mapping(_) => self.visit_map(visitor),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Mapping(_) => self.visit_map(visitor),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_seq(visitor)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.visit_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.visit_seq(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value.deserialize_enum(name, variants, visitor)
    }

    forward! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_ignored_any
    }
}

/// The entries of a mapping, each deserialized with its key added to the path.
struct TrackedMap<'a> {
    entries: yaml_serde::mapping::Iter<'a>,
    pending: Option<(&'a Value, &'a Value)>,
    parent: Tracked<'a>,
}

impl<'a> MapAccess<'a> for TrackedMap<'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        let tracked = self.parent.child(key, step(key));
        let path = tracked.path.clone();
        seed.deserialize(tracked).map(Some).inspect_err(|_| {
            record(self.parent.failed, path, true);
        })
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("a value was asked for before its key"))?;
        let tracked = self.parent.child(value, step(key));
        let path = tracked.path.clone();
        seed.deserialize(tracked).inspect_err(|_| {
            record(self.parent.failed, path, false);
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The items of a sequence, each deserialized with its index added to the path.
struct TrackedSeq<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Value>>,
    parent: Tracked<'a>,
}

impl<'a> SeqAccess<'a> for TrackedSeq<'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((i, item)) = self.items.next() else {
            return Ok(None);
        };
        let tracked = self.parent.child(item, Step::Index(i));
        let path = tracked.path.clone();
        seed.deserialize(tracked).map(Some).inspect_err(|_| {
            record(self.parent.failed, path, false);
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Offer {
        label: String,
        prices: Option<Vec<f64>>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        offers: std::collections::BTreeMap<String, Offer>,
    }

    fn refused(text: &str) -> Refused {
        let value: Value = crate::yaml::from_fragment(text).unwrap_or_default();
        match from_value::<File>(&value) {
            Ok(file) => panic!("accepted: {file:?}"),
            Err(refused) => refused,
        }
    }

    #[test]
    fn a_refused_value_is_named_by_its_path() {
        let error = refused("offers:\n  a:\n    label: A\n    prices: [1, x]\n");
        assert_eq!(
            error.to_string(),
            "offers.a.prices[1]: invalid type: string \"x\", expected f64"
        );
        assert_eq!(error.keys, ["offers", "a", "prices"]);
        // An unknown key is shown on its mapping, and found at its own line.
        let error = refused("offers:\n  a:\n    label: A\n    price: 1\n");
        assert_eq!(error.path.as_deref(), Some("offers.a"));
        assert!(
            error.message.starts_with("unknown field `price`"),
            "{}",
            error.message
        );
        assert_eq!(error.keys, ["offers", "a", "price"]);
        let error = refused("offers:\n  a:\n    prices: [1]\n");
        assert_eq!(error.to_string(), "offers.a: missing field `label`");
        let error = refused("offer: {}\n");
        assert_eq!(
            (error.path, error.keys),
            (None, vec![String::from("offer")])
        );
    }

    #[test]
    fn plain_numbers_and_booleans_are_strings_where_strings_are_wanted() {
        let value: Value = crate::yaml::from_fragment(
            "offers:\n  2024:\n    label: 2024\n  b:\n    label: true\n",
        )
        .unwrap_or_default();
        let file = from_value::<File>(&value).map_err(|e| e.to_string());
        let labels: Vec<String> = file
            .map(|f| f.offers.into_values().map(|o| o.label).collect())
            .unwrap_or_default();
        assert_eq!(labels, ["2024", "true"]);
    }
}
