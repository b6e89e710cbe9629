//! Pure rules of inspections (执法检查): kinds, the lifecycle, team roles, item
//! outcomes and the types of 执法文书.
//!
//! The lifecycle: created `pending_approval` → an approver approves it (`approved`;
//! over the enterprise's yearly cap a second, recorded approval is needed first) or
//! rejects it (`rejected`) → the team starts it on site (`in_progress`) → the team
//! completes the record (`completed`: findings become hazards in the ledger). A
//! pending or approved inspection may be `cancelled` with a reason. Completed,
//! rejected and cancelled are final.

use crate::coded::coded_enum;

coded_enum! {
    /// Kind of inspection (检查方式).
    #[schema(as = InspectionKind)]
    pub enum Kind in "检查类型" {
        DoubleRandom = "double_random" / "双随机抽查",
        Planned = "planned" / "重点检查",
        Special = "special" / "专项检查",
        Joint = "joint" / "联合检查",
        CrossRegion = "cross_region" / "异地交叉检查",
        Supervisory = "supervisory" / "督导检查",
        Unannounced = "unannounced" / "四不两直暗查暗访",
        Complaint = "complaint" / "举报核查",
        ReInspection = "re_inspection" / "复查",
        Accident = "accident" / "事故调查",
    }
}

coded_enum! {
    /// Where an inspection is in its lifecycle.
    #[schema(as = InspectionStatus)]
    pub enum Status in "检查状态" {
        PendingApproval = "pending_approval" / "待审批",
        Approved = "approved" / "已审批待检查",
        InProgress = "in_progress" / "检查中",
        Completed = "completed" / "已完成",
        Rejected = "rejected" / "未批准",
        Cancelled = "cancelled" / "已取消",
    }
}

impl Status {
    /// Whether nothing more happens to the inspection itself (its findings live on
    /// in the ledger).
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Rejected | Self::Cancelled)
    }
}

coded_enum! {
    /// A team member's part in an inspection.
    pub enum MemberRole in "检查组角色" {
        Leader = "leader" / "组长",
        Inspector = "inspector" / "执法人员",
        /// Accompanies; neither counts as an inspector nor signs as one.
        Expert = "expert" / "专家",
    }
}

coded_enum! {
    /// The result of one checklist item, on an inspection or a self-inspection.
    #[schema(as = ItemOutcome)]
    pub enum Outcome in "检查结果" {
        Conform = "conform" / "符合",
        NonConform = "non_conform" / "不符合",
        NotApplicable = "not_applicable" / "不适用",
        Unchecked = "unchecked" / "未检查",
    }
}

coded_enum! {
    /// A type of 执法文书 of an inspection, numbered per bureau, year and type.
    pub enum DocumentType in "执法文书" {
        ApprovalForm = "approval_form" / "检查审批表及现场检查方案",
        SiteRecord = "site_record" / "现场检查记录",
        RectificationOrder = "rectification_order" / "责令限期整改指令书",
        OnSiteMeasures = "on_site_measures" / "现场处理措施决定书",
        ReinspectionOpinion = "reinspection_opinion" / "整改复查意见书",
        ServiceReceipt = "service_receipt" / "送达回证",
    }
}

coded_enum! {
    /// Where a reserved document number stands.
    pub enum DocumentStatus in "文书状态" {
        Reserved = "reserved" / "已预留",
        Issued = "issued" / "已出具",
        Voided = "voided" / "已作废",
    }
}

coded_enum! {
    /// How a kept conflict on an item's outcome was settled.
    #[schema(as = ConflictResolution)]
    pub enum Resolution in "冲突处理" {
        /// The stored outcome stays; the other device's is kept as history.
        KeptServer = "kept_server" / "保留已保存的结果",
        /// The other device's outcome replaces the stored one.
        TookIncoming = "took_incoming" / "采用另一设备的结果",
    }
}
