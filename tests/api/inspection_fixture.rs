//! Inspections written straight into the database, for the record's tests.

use crate::helpers::{TestApp, TestUser};
use anjian::entities::{enterprise, inspection, inspection_document, inspection_member};
use anjian::inspection::domain::{DocumentStatus, DocumentType, Kind, Status};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

async fn create(app: &TestApp, enterprise_id: i64, team: &[&TestUser], status: Status) -> i64 {
    let db = app.state.db.conn();
    let now = anjian::clock::Clock::now(&app.clock);
    let e = enterprise::Entity::find_by_id(enterprise_id).one(db).await.unwrap().unwrap();
    let pins: Vec<serde_json::Value> = anjian::checklist::shipped::all()
        .iter()
        .filter(|c| !anjian::checklist::model::applicable(std::slice::from_ref(*c), &e).is_empty())
        .map(|c| serde_json::json!({"checklist_id": c.id, "version": c.version, "hash": c.hash()}))
        .collect();
    let approved = status != Status::PendingApproval;
    let i = inspection::ActiveModel {
        bureau_id: Set(e.supervising_bureau_id),
        enterprise_id: Set(enterprise_id),
        kind: Set(Kind::Planned),
        status: Set(status),
        planned_date: Set(anjian::clock::china_date(now)),
        plan_text: Set("检查方案".into()),
        checklists: Set(serde_json::Value::from(pins).to_string()),
        counts_against_cap: Set(true),
        over_cap: Set(false),
        created_by: Set(team[0].id),
        created_at: Set(now),
        approved_by: Set(approved.then_some(team[0].id)),
        approved_at: Set(approved.then_some(now)),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for u in team {
        let m = inspection_member::ActiveModel {
            inspection_id: Set(i.id),
            user_id: Set(u.id),
            role: Set(anjian::inspection::domain::MemberRole::Inspector),
            certificate_no: Set(Some("42010300001".into())),
            ..Default::default()
        };
        m.insert(db).await.unwrap();
    }
    if approved {
        for kind in [
            DocumentType::SiteRecord,
            DocumentType::RectificationOrder,
            DocumentType::OnSiteMeasures,
            DocumentType::ServiceReceipt,
        ] {
            inspection_document::ActiveModel {
                inspection_id: Set(i.id),
                kind: Set(kind),
                bureau_id: Set(e.supervising_bureau_id),
                year: Set(2026),
                seq: Set(i.id),
                number: Set(format!("（测试）{}〔2026〕{}号", kind.as_str(), i.id)),
                status: Set(DocumentStatus::Reserved),
                reserved_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
    }
    i.id
}

pub async fn approved(app: &TestApp, enterprise_id: i64, team: &[&TestUser]) -> i64 {
    create(app, enterprise_id, team, Status::Approved).await
}

pub async fn pending(app: &TestApp, enterprise_id: i64, team: &[&TestUser]) -> i64 {
    create(app, enterprise_id, team, Status::PendingApproval).await
}
