//! The bounds a spec sets on a value (`minimum`, `maximum`, their exclusive
//! forms, `minLength`, `maxLength`), checked the same way by generated
//! clients (before sending) and servers (before handling).

use std::cmp::Ordering;

/// A numeric bound (`minimum`/`maximum`, exclusive or not).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// The bound, as the spec writes it.
    pub value: f64,
    /// `exclusiveMinimum`/`exclusiveMaximum`.
    pub exclusive: bool,
}

/// The bounds of one value; each unset one holds nothing back.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds {
    /// `minimum` or `exclusiveMinimum`.
    pub minimum: Option<Limit>,
    /// `maximum` or `exclusiveMaximum`.
    pub maximum: Option<Limit>,
    /// `minLength`, in characters.
    pub min_length: Option<usize>,
    /// `maxLength`, in characters.
    pub max_length: Option<usize>,
}

impl Bounds {
    /// No bounds.
    pub const fn new() -> Self {
        Self {
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
        }
    }

    /// The value must be at least (`exclusive`: more than) `value`.
    pub const fn minimum(mut self, value: f64, exclusive: bool) -> Self {
        self.minimum = Some(Limit { value, exclusive });
        self
    }

    /// The value must be at most (`exclusive`: less than) `value`.
    pub const fn maximum(mut self, value: f64, exclusive: bool) -> Self {
        self.maximum = Some(Limit { value, exclusive });
        self
    }

    /// The text must have at least `count` characters.
    pub const fn min_length(mut self, count: usize) -> Self {
        self.min_length = Some(count);
        self
    }

    /// The text must have at most `count` characters.
    pub const fn max_length(mut self, count: usize) -> Self {
        self.max_length = Some(count);
        self
    }

    /// The numeric bounds `value` breaks, as the spec states them
    /// (`minimum 1`, `exclusiveMaximum 10`).
    pub fn number_rules(&self, value: impl Number) -> Vec<String> {
        let mut broken = Vec::new();
        // (limit, the order that breaks it, its name, its exclusive name)
        let limits = [
            (self.minimum, Ordering::Less, "minimum", "exclusiveMinimum"),
            (
                self.maximum,
                Ordering::Greater,
                "maximum",
                "exclusiveMaximum",
            ),
        ];
        for (limit, outside, name, exclusive_name) in limits {
            let Some(Limit {
                value: bound,
                exclusive,
            }) = limit
            else {
                continue;
            };
            let order = value.compare(bound);
            if order == outside || (exclusive && order.is_eq()) {
                let name = if exclusive { exclusive_name } else { name };
                broken.push(format!("{name} {bound}"));
            }
        }
        broken
    }

    /// The length bounds `text` breaks (`minLength 2`).
    pub fn text_rules(&self, text: &str) -> Vec<String> {
        let count = text.chars().count();
        let mut broken = Vec::new();
        if let Some(min) = self.min_length.filter(|min| count < *min) {
            broken.push(format!("minLength {min}"));
        }
        if let Some(max) = self.max_length.filter(|max| count > *max) {
            broken.push(format!("maxLength {max}"));
        }
        broken
    }
}

/// A number a [`Limit`] can be compared with, exactly for integers.
pub trait Number: Copy {
    /// How the value compares with `bound`.
    fn compare(self, bound: f64) -> Ordering;
}

impl Number for i64 {
    fn compare(self, bound: f64) -> Ordering {
        // An integral bound inside the range compares as an integer, so
        // that 2^53 + 1 is not taken for 2^53.
        if bound.fract() == 0.0 && bound >= i64::MIN as f64 && bound < i64::MAX as f64 {
            self.cmp(&(bound as i64))
        } else {
            (self as f64).total_cmp(&bound)
        }
    }
}

impl Number for i32 {
    fn compare(self, bound: f64) -> Ordering {
        i64::from(self).compare(bound)
    }
}

impl Number for f64 {
    fn compare(self, bound: f64) -> Ordering {
        self.total_cmp(&bound)
    }
}

impl Number for f32 {
    fn compare(self, bound: f64) -> Ordering {
        f64::from(self).total_cmp(&bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_break_the_bounds_the_spec_states() {
        let bounds = Bounds::new().minimum(1.0, false).maximum(10.0, true);
        assert!(bounds.number_rules(1_i64).is_empty());
        assert_eq!(bounds.number_rules(0_i32), ["minimum 1"]);
        assert_eq!(bounds.number_rules(10.0_f64), ["exclusiveMaximum 10"]);
        assert!(bounds.number_rules(9.5_f32).is_empty());
        let fractional = Bounds::new().maximum(9.5, false);
        assert_eq!(fractional.number_rules(10_i64), ["maximum 9.5"]);
        // Integral bounds compare exactly, beyond f64's 53 bits.
        assert!(((1_i64 << 53) + 1).compare((1_i64 << 53) as f64).is_gt());
    }

    #[test]
    fn lengths_count_characters() {
        let bounds = Bounds::new().min_length(2).max_length(3);
        assert_eq!(bounds.text_rules("é"), ["minLength 2"]);
        assert!(bounds.text_rules("ééé").is_empty());
        assert_eq!(bounds.text_rules("abcd"), ["maxLength 3"]);
    }
}
