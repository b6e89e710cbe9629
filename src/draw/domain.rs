//! Pure rules of the double-random draw: its lifecycle, who holds the secret, the
//! team rule, the ineligibility reasons and the result categories (一公开).
//!
//! The lifecycle: `committed` (pools frozen and hashed, the secret committed) →
//! `executed` (secret revealed, tasks drawn, inspections created pending approval).
//! A committed or executed draw may be `superseded` by a redraw (a new draw that
//! names it and gives a reason); nothing is deleted.

use crate::coded::coded_enum;

coded_enum! {
    /// Where a draw is in its lifecycle.
    #[schema(as = DrawStatus)]
    pub enum Status in "抽取状态" {
        Committed = "committed" / "已固定名录待抽取",
        Executed = "executed" / "已抽取",
        Superseded = "superseded" / "已重新抽取",
    }
}

coded_enum! {
    /// Who holds the secret until execution.
    pub enum SecretMode in "密钥保管" {
        /// The server chose it and withholds it until execution.
        Server = "server" / "系统生成并保管",
        /// The regulator chose it; only its commitment is stored.
        Regulator = "regulator" / "监管人员自行保管",
    }
}

coded_enum! {
    /// The team rule on specialties.
    pub enum SpecialtyRule in "专业要求" {
        None = "none" / "不限专业",
        /// At least one member's specialties include the enterprise's sector.
        SectorSpecialist = "sector_specialist" / "至少一名本行业专业执法人员",
    }
}

coded_enum! {
    /// Why an enterprise matching the filter is not in the pool.
    pub enum Ineligible in "未入库原因" {
        Closed = "closed" / "已关闭或查无此对象",
        OverCap = "over_cap" / "已达年度检查频次上限",
    }
}

coded_enum! {
    /// The result category of a drawn task (抽查结果).
    #[schema(as = DrawTaskResult)]
    pub enum TaskResult in "抽查结果" {
        NoProblem = "no_problem" / "未发现问题",
        RectificationOrdered = "rectification_ordered" / "责令整改",
        CaseFiled = "case_filed" / "立案查处",
        Transferred = "transferred" / "移送",
        ClosedOrSuspended = "closed_or_suspended" / "已关闭或停产",
        NotFound = "not_found" / "查无此对象",
    }
}

/// The sampler's name in proofs (`src/draw/SAMPLER.md`).
pub const ALGORITHM: &str = "anjian-sampler-v1";
/// The proof format's name and version.
pub const FORMAT: &str = "anjian-draw-proof";
pub const FORMAT_VERSION: u32 = 1;
/// The hash algorithm of proofs.
pub const HASH: &str = "sha256";
