//! The sampler's inputs borrowed from wherever they are held — the frozen pool of a
//! stored draw, or a proof being verified — so hashing and re-running a proof of a
//! million enterprises copies nothing.

use super::proof::{Enterprise, Exclusion, Frozen, IneligibleEnterprise, Inspector, Parameters, Proof};

/// The frozen inputs of a draw, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub parameters: &'a Parameters,
    pub enterprises: &'a [Enterprise],
    pub inspectors: &'a [Inspector],
    pub exclusions: &'a [Exclusion],
    pub ineligible: &'a [IneligibleEnterprise],
}

impl<'a> From<&'a Frozen> for Inputs<'a> {
    fn from(f: &'a Frozen) -> Self {
        Self {
            parameters: &f.parameters,
            enterprises: &f.enterprises,
            inspectors: &f.inspectors,
            exclusions: &f.exclusions,
            ineligible: &f.ineligible,
        }
    }
}

impl<'a> From<&'a Proof> for Inputs<'a> {
    fn from(p: &'a Proof) -> Self {
        Self {
            parameters: &p.parameters,
            enterprises: &p.enterprises,
            inspectors: &p.inspectors,
            exclusions: &p.exclusions,
            ineligible: &p.ineligible,
        }
    }
}
