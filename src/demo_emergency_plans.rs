//! Demo emergency-plan filing: the demo enterprise's safety officer files its
//! 综合应急预案 and a 现场处置方案 through the same use cases as the API, 江汉区's
//! regulator accepts them (a numbered 备案登记表), and the enterprise records a
//! drill — so the filings list, the filing, its printed form and the cockpit's
//! filing rate show something. The documents are placeholder PDFs.

use crate::attachment::meta::Capture;
use crate::emergency_plan::domain::{DrillForm, EvaluationForm, PlanKind};
use crate::emergency_plan::json::{FileEmergencyPlans, PlanDocumentBody, RecordDrill};
use crate::entities::emergency_plan_document as doc;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::Days;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

const PDF: &[u8] = b"%PDF-1.4\n% anjian demo plan\n";
const PLANS: [(PlanKind, &str); 2] =
    [(PlanKind::Comprehensive, "综合应急预案（2026版）"), (PlanKind::OnSite, "仓库火灾现场处置方案")];

/// Files, accepts and drills the demo enterprise's plans.
pub async fn seed(state: &AppState) -> AppResult<()> {
    let (officer, reg) =
        (crate::demo::as_user(state, "qy_aqy").await?, crate::demo::as_user(state, "jianghan_jg").await?);
    let Some(own) = officer.enterprise_ids.first().copied() else { return Ok(()) };
    let today = crate::clock::china_date(state.clock.now());
    let days_ago = |n| today.checked_sub_days(Days::new(n)).unwrap_or(today);
    let mut documents = Vec::new();
    for (kind, title) in PLANS {
        let file =
            crate::attachment::accept(state, &officer, &format!("{title}.pdf"), PDF, &Capture::default()).await?;
        documents.push(PlanDocumentBody {
            kind,
            title: title.to_owned(),
            attachment_id: file.id,
            published_on: days_ago(40),
            evaluated_on: days_ago(50),
            evaluation_form: EvaluationForm::Review,
            evaluation_conclusion: "经专家评审，预案内容完整、措施可行，按意见修改后发布".to_owned(),
        });
    }
    let body = FileEmergencyPlans { enterprise_id: Some(own), documents };
    let filing = state
        .write(officer.actor(), async |tx| crate::emergency_plan::service::create(tx, &officer, &body).await)
        .await?;
    state.write(reg.actor(), async |tx| crate::emergency_plan::service::accept(tx, &reg, filing.id).await).await?;
    let on_site = doc::Entity::find()
        .filter(doc::Column::FilingId.eq(filing.id))
        .order_by_desc(doc::Column::Id)
        .one(state.db.conn())
        .await?;
    if let Some(plan) = on_site {
        let drill = RecordDrill {
            document_id: plan.id,
            drilled_on: days_ago(10),
            form: DrillForm::Live,
            participants: 24,
            summary: "模拟仓库起火，组织疏散和初期灭火，用时 6 分钟，发现应急照明不足已整改".to_owned(),
        };
        state
            .write(officer.actor(), async |tx| {
                crate::emergency_plan::drills::record(tx, &officer, filing.id, &drill).await
            })
            .await?;
    }
    for u in [&officer, &reg] {
        crate::auth::service::logout(state, u).await?;
    }
    Ok(())
}
