//! The national checklists shipped in `checklists/`, embedded in the binary.

use super::Checklist;
use std::sync::LazyLock;

/// Each shipped file, by name.
pub const FILES: &[(&str, &str)] = &[
    ("hazchem-major.toml", include_str!("../../checklists/hazchem-major.toml")),
    ("fireworks-major.toml", include_str!("../../checklists/fireworks-major.toml")),
    ("industry-trade-major.toml", include_str!("../../checklists/industry-trade-major.toml")),
    ("mine-major.toml", include_str!("../../checklists/mine-major.toml")),
    ("general-management.toml", include_str!("../../checklists/general-management.toml")),
];

static ALL: LazyLock<Vec<Checklist>> = LazyLock::new(|| {
    FILES
        .iter()
        .filter_map(|(name, text)| match Checklist::from_toml(text) {
            Ok(c) => Some(c),
            Err(problems) => {
                // The shipped-file test fails on this; a build that got here anyway
                // serves the other checklists rather than none.
                tracing::error!(file = name, ?problems, "shipped checklist does not load");
                None
            }
        })
        .collect()
});

/// The shipped checklists, parsed once.
pub fn all() -> &'static [Checklist] {
    &ALL
}
