//! Pure rules of the on-site record: who signs, the on-site measures (WSL art. 65),
//! and what completion requires.

use crate::coded::coded_enum;
use crate::inspection::domain::{Kind, Outcome, Status};

coded_enum! {
    /// Who signs the 现场检查记录 (WSL art. 68).
    pub enum SignerKind in "签字人" {
        Inspector = "inspector" / "执法人员",
        Enterprise = "enterprise" / "被检查单位负责人",
    }
}

coded_enum! {
    /// An on-site measure (现场处理措施, WSL art. 65).
    pub enum MeasureKind in "现场处理措施" {
        WithdrawWorkers = "withdraw_workers" / "从危险区域内撤出作业人员",
        SuspendProduction = "suspend_production" / "暂时停产停业",
        StopEquipment = "stop_equipment" / "停止使用相关设施、设备",
        Other = "other" / "其他措施",
    }
}

coded_enum! {
    /// What a team inspector may do with the record (the tablet shows only these).
    pub enum RecordAction in "记录操作" {
        Start = "start" / "开始检查",
        Record = "record" / "记录检查结果",
        Sign = "sign" / "签字",
        Complete = "complete" / "完成检查",
        AddMedia = "add_media" / "上传执法记录",
    }
}

/// What a team inspector may do with a record in `status`, counting the start the
/// tablet makes on site: an approved inspection that may be started may then be
/// recorded, signed and completed; one in progress may be recorded, signed and
/// completed; media may be added until and after completion. `startable` is the
/// server's own start check.
pub fn record_actions(status: Status, startable: bool) -> Vec<RecordAction> {
    use RecordAction::{AddMedia, Complete, Record, Sign, Start};
    match status {
        Status::Approved if startable => vec![Start, Record, Sign, Complete, AddMedia],
        Status::InProgress => vec![Record, Sign, Complete, AddMedia],
        Status::Approved | Status::Completed => vec![AddMedia],
        _ => Vec::new(),
    }
}

/// Inspectors' signatures (with certificate numbers) a record needs at least.
pub const MIN_INSPECTOR_SIGNATURES: usize = 2;

/// What the record holds when completion is asked for.
#[derive(Debug, Clone, Default)]
pub struct Readiness {
    /// Applicable pinned items without an outcome, or still 未检查 without a note.
    pub unchecked: Vec<String>,
    /// 不符合 items without a finding.
    pub nonconform_without_finding: Vec<String>,
    /// Items with a kept conflict nobody has settled yet.
    pub conflicted: Vec<String>,
    /// Inspectors' signatures with certificate numbers.
    pub inspector_signatures: usize,
    /// The unit's 负责人 signed, or refused before a witness.
    pub enterprise_signed_or_refused: bool,
}

/// Every reason the record cannot be completed yet, in Chinese (empty: it can).
pub fn completion_problems(r: &Readiness) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !r.unchecked.is_empty() {
        out.push(("results", format!("以下检查项尚未检查（或未检查未注明原因）：{}", r.unchecked.join("、"))));
    }
    if !r.nonconform_without_finding.is_empty() {
        let codes = r.nonconform_without_finding.join("、");
        out.push(("findings", format!("以下不符合项尚未登记问题：{codes}")));
    }
    if !r.conflicted.is_empty() {
        let codes = r.conflicted.join("、");
        out.push(("results", format!("以下检查项有另一设备提交的不同结果，请先选择保留哪一个：{codes}")));
    }
    if r.inspector_signatures < MIN_INSPECTOR_SIGNATURES {
        out.push(("signatures", format!("须至少 {MIN_INSPECTOR_SIGNATURES} 名执法人员签字（含执法证号）")));
    }
    if !r.enterprise_signed_or_refused {
        out.push(("signatures", "须被检查单位负责人签字，或记录其拒绝签字及见证人".to_owned()));
    }
    out
}

/// Whether the record may be edited now (results, findings, measures, signatures).
pub const fn editable(status: Status) -> bool {
    matches!(status, Status::InProgress)
}

/// Whether an inspection of this kind may be started once approved. A
/// re-inspection (复查) is covered by its parent's approval: it starts `approved`.
pub const fn needs_own_approval(kind: Kind) -> bool {
    !matches!(kind, Kind::ReInspection)
}

/// Whether an outcome still counts as not checked: 未检查 is accepted only with a note
/// saying why (e.g. 设备停用无法检查).
pub fn is_unchecked(outcome: Option<Outcome>, note: Option<&str>) -> bool {
    match outcome {
        None => true,
        Some(Outcome::Unchecked) => note.is_none_or(|n| n.trim().is_empty()),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchecked_needs_a_note() {
        assert!(is_unchecked(None, None));
        assert!(is_unchecked(Some(Outcome::Unchecked), Some(" ")));
        assert!(!is_unchecked(Some(Outcome::Unchecked), Some("设备停用")));
        assert!(!is_unchecked(Some(Outcome::Conform), None));
    }

    #[test]
    fn completion_lists_every_problem() {
        let r = Readiness { unchecked: vec!["HC-01".into()], ..Readiness::default() };
        let p = completion_problems(&r);
        assert_eq!(p.len(), 3, "{p:?}");
        let ok = Readiness { inspector_signatures: 2, enterprise_signed_or_refused: true, ..Readiness::default() };
        assert!(completion_problems(&ok).is_empty());
    }
}
