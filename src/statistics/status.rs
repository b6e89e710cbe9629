//! Where a statistics report stands (the stored `status` of
//! `hazard_statistics`): a draft, confirmed (签字确认) by the principal, or
//! submitted (已报送) to the supervising bureau; a return brings it back to a draft.

use crate::coded::coded_enum;

coded_enum! {
    /// 统计报表状态.
    pub enum ReportStatus in "统计报表状态" {
        Draft = "draft" / "草稿",
        Confirmed = "confirmed" / "已确认",
        Submitted = "submitted" / "已报送",
    }
}
