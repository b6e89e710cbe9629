//! Roles. A user belongs to a bureau or to enterprises and holds one or more roles.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 监管人员
    Regulator,
    /// 执法人员 (holds an enforcement certificate)
    Inspector,
    /// 法制审核
    LegalReviewer,
    /// 负责人
    Approver,
    /// 网格员: may report hazards, may not inspect.
    GridWorker,
    /// 主要负责人 of an enterprise
    Principal,
    /// 安全管理人员
    SafetyOfficer,
    /// Enterprise staff: may only report.
    Staff,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Self::Regulator,
        Self::Inspector,
        Self::LegalReviewer,
        Self::Approver,
        Self::GridWorker,
        Self::Principal,
        Self::SafetyOfficer,
        Self::Staff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Regulator => "regulator",
            Self::Inspector => "inspector",
            Self::LegalReviewer => "legal_reviewer",
            Self::Approver => "approver",
            Self::GridWorker => "grid_worker",
            Self::Principal => "principal",
            Self::SafetyOfficer => "safety_officer",
            Self::Staff => "staff",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Self::Regulator => "监管人员",
            Self::Inspector => "执法人员",
            Self::LegalReviewer => "法制审核",
            Self::Approver => "负责人",
            Self::GridWorker => "网格员",
            Self::Principal => "主要负责人",
            Self::SafetyOfficer => "安全管理人员",
            Self::Staff => "员工",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role belongs to bureau staff (otherwise to enterprise users).
    pub fn is_bureau_role(self) -> bool {
        !matches!(self, Self::Principal | Self::SafetyOfficer | Self::Staff)
    }
}
