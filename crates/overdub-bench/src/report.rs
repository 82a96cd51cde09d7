//! The benchmark report: a table for people and JSON for tools.

use std::fmt::Write as _;
use std::path::Path;

/// One measured figure beside its target.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Stable key for tools, e.g. `load.gain.median_ms`.
    pub key: String,
    /// What was measured, for people.
    pub label: String,
    /// The measured value.
    pub value: f64,
    /// Unit of `value`.
    pub unit: &'static str,
    /// The target, in words (`"< 5"`), empty when there is none.
    pub target: String,
    /// Whether the value meets the target (`None` without a target).
    pub met: Option<bool>,
}

/// All figures of one run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Figures in the order measured.
    pub figures: Vec<Figure>,
}

impl Report {
    /// Records a figure without a target.
    pub fn info(&mut self, key: &str, label: &str, value: f64, unit: &'static str) {
        self.push(key, label, value, unit, String::new(), None);
    }

    /// Records a figure that should be at most `limit`.
    pub fn at_most(&mut self, key: &str, label: &str, value: f64, unit: &'static str, limit: f64) {
        self.push(key, label, value, unit, format!("≤ {limit}"), Some(value <= limit));
    }

    /// Records a figure that should be at least `limit`.
    pub fn at_least(&mut self, key: &str, label: &str, value: f64, unit: &'static str, limit: f64) {
        self.push(key, label, value, unit, format!("≥ {limit}"), Some(value >= limit));
    }

    fn push(
        &mut self,
        key: &str,
        label: &str,
        value: f64,
        unit: &'static str,
        target: String,
        met: Option<bool>,
    ) {
        self.figures.push(Figure { key: key.to_owned(), label: label.to_owned(), value, unit, target, met });
    }

    /// The human table.
    pub fn table(&self) -> String {
        let width = self.figures.iter().map(|f| f.label.chars().count()).max().unwrap_or(0);
        let mut out = String::new();
        for f in &self.figures {
            let verdict = match f.met {
                Some(true) => "ok",
                Some(false) => "MISSED",
                None => "",
            };
            let _ = writeln!(
                out,
                "{:<width$}  {:>12.4} {:<6} {:<10} {}",
                f.label, f.value, f.unit, f.target, verdict
            );
        }
        out
    }

    /// The machine-readable summary.
    pub fn json(&self) -> String {
        let mut out = String::from("{\n  \"figures\": [\n");
        for (i, f) in self.figures.iter().enumerate() {
            let met = f.met.map_or("null".to_owned(), |m| m.to_string());
            let _ = write!(
                out,
                "    {{\"key\": {:?}, \"label\": {:?}, \"value\": {}, \"unit\": {:?}, \"target\": {:?}, \"met\": {met}}}",
                f.key, f.label, f.value, f.unit, f.target
            );
            out.push_str(if i + 1 < self.figures.len() { ",\n" } else { "\n" });
        }
        out.push_str("  ]\n}\n");
        out
    }

    /// Writes the JSON summary to `path`.
    pub fn write_json(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, self.json())
    }
}
