//! The configurable defaults (`data/self-inspection.toml`, shipped in the binary;
//! `ANJIAN_SELF_INSPECTION_CONFIG` names a replacement file of the same shape).
//! A replacement that does not parse is logged and the shipped file is used.

use super::domain::{Frequency, Kind, Level};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const SHIPPED: &str = include_str!("../../data/self-inspection.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct ZeroFindings {
    /// The window, in days, ending today.
    pub days: i64,
    /// Completed tasks in the window needed before "nothing found" is a warning.
    pub min_completed: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Generation {
    pub batch: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Kind code → level code → frequency.
    pub defaults: BTreeMap<Kind, BTreeMap<Level, Frequency>>,
    pub zero_findings: ZeroFindings,
    pub generation: Generation,
}

impl Config {
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.message().to_owned())
    }

    /// The default frequency of a kind at a level (as needed where the file is silent).
    pub fn default_frequency(&self, kind: Kind, level: Level) -> Frequency {
        self.defaults.get(&kind).and_then(|l| l.get(&level)).copied().unwrap_or(Frequency::AsNeeded)
    }
}

fn load() -> Config {
    if let Ok(path) = std::env::var("ANJIAN_SELF_INSPECTION_CONFIG") {
        match std::fs::read_to_string(&path).map_err(|e| e.to_string()).and_then(|t| Config::parse(&t)) {
            Ok(c) => return c,
            Err(e) => tracing::error!(error = %e, "self-inspection config unreadable; using the shipped defaults"),
        }
    }
    // The shipped file is checked by a unit test; a default keeps the service up regardless.
    Config::parse(SHIPPED).unwrap_or_else(|_| Config {
        defaults: BTreeMap::new(),
        zero_findings: ZeroFindings { days: 90, min_completed: 3 },
        generation: Generation { batch: 500 },
    })
}

/// The configuration in force.
pub fn get() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses_and_covers_every_kind_and_level() {
        let Ok(c) = Config::parse(SHIPPED) else { panic!("data/self-inspection.toml does not parse") };
        for k in Kind::ALL {
            for l in Level::ALL {
                assert!(c.defaults.get(k).and_then(|m| m.get(l)).is_some(), "{k:?} {l:?}");
            }
        }
        assert_eq!(c.default_frequency(Kind::Comprehensive, Level::Enterprise), Frequency::HalfYearly);
        assert_eq!(c.default_frequency(Kind::Comprehensive, Level::Unit), Frequency::Quarterly);
        assert_eq!(c.default_frequency(Kind::Seasonal, Level::Post), Frequency::Quarterly);
        assert!(c.zero_findings.min_completed > 0);
    }
}
