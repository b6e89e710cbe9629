//! The indicator cockpit (指标驾驶舱): the bureaus' own five-year-plan targets,
//! computed from the records. This first part is the definitions: which indicators
//! there are, what each counts, which way is better, and the plans' targets per
//! region with the plan, year and line they come from ([`rules`], shipped as
//! `data/indicators.toml`, replaceable per province).

pub mod counts;
pub mod inputs;
pub mod rules;
