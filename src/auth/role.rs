//! Roles. A user belongs to a bureau or to enterprises and holds one or more roles.

use crate::coded::coded_enum;

coded_enum! {
    /// A role a user holds.
    pub enum Role in "角色" {
        /// 监管人员
        Regulator = "regulator" / "监管人员",
        /// 执法人员 (holds an enforcement certificate)
        Inspector = "inspector" / "执法人员",
        /// 法制审核
        LegalReviewer = "legal_reviewer" / "法制审核",
        /// 负责人
        Approver = "approver" / "负责人",
        /// 网格员: may report hazards, may not inspect.
        GridWorker = "grid_worker" / "网格员",
        /// 专家: accompanies an inspection; neither an inspector nor a signer as one.
        Expert = "expert" / "专家",
        /// 主要负责人 of an enterprise
        Principal = "principal" / "主要负责人",
        /// 安全管理人员
        SafetyOfficer = "safety_officer" / "安全管理人员",
        /// Enterprise staff: may only report.
        Staff = "staff" / "员工",
        /// 保险机构: a user of an insurer (`crate::insurance`); sees only the enterprises it insures.
        Insurer = "insurer" / "保险机构",
    }
}

impl Role {
    /// The role a stored code names, if any.
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }

    /// Whether the role belongs to bureau staff (otherwise to enterprise users).
    pub fn is_bureau_role(self) -> bool {
        !matches!(self, Self::Principal | Self::SafetyOfficer | Self::Staff | Self::Insurer)
    }

    /// Whether the role belongs to an enterprise's users.
    pub fn is_enterprise_role(self) -> bool {
        matches!(self, Self::Principal | Self::SafetyOfficer | Self::Staff)
    }
}
