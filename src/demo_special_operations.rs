//! Demo special-operation workers: the demo enterprise's safety officer lists four
//! workers through the same use case as the API — two with valid certificates, one
//! expiring within the reminder window and one without a certificate yet — so the
//! lists, the checklist item and the to-dos show something.

use crate::error::AppResult;
use crate::special_operation::json::{CreateSpecialOperationWorker, WorkerFields};
use crate::state::AppState;
use chrono::{Days, Months, NaiveDate};

/// Name, identity number (check digit valid, not a real person's), category, months since issue.
const WORKERS: [(&str, &str, &str, Option<u32>); 4] = [
    ("周电工", "420103198001011238", "electrician", Some(14)),
    ("吴焊工", "420103198512124568", "welding", Some(30)),
    ("郑操作", "42010319900707789X", "hazardous_chemicals", Some(71)),
    ("冯新员", "420103199503033212", "work_at_height", None),
];

fn fields(w: &(&str, &str, &str, Option<u32>), today: NaiveDate) -> WorkerFields {
    let (name, id, category, months) = *w;
    let issued_on = months.and_then(|m| today.checked_sub_months(Months::new(m)));
    WorkerFields {
        name: name.to_owned(),
        id_number: Some(id.to_owned()),
        category: category.to_owned(),
        certificate_no: issued_on.map(|_| format!("T{id}")),
        issued_by: issued_on.map(|_| "武汉市应急管理局".to_owned()),
        issued_on,
        review_due: None,
        expires_on: None,
        listed_on: today.checked_sub_days(Days::new(30)),
    }
}

/// Seeds the workers of the demo enterprise.
pub async fn seed(state: &AppState) -> AppResult<()> {
    let officer = crate::demo::as_user(state, "qy_aqy").await?;
    let Some(own) = officer.enterprise_ids.first().copied() else { return Ok(()) };
    let today = crate::clock::china_date(state.clock.now());
    for w in &WORKERS {
        let b = CreateSpecialOperationWorker { enterprise_id: own, fields: fields(w, today) };
        state
            .write(officer.actor(), async |tx| crate::special_operation::service::create(tx, &officer, &b).await)
            .await?;
    }
    crate::auth::service::logout(state, &officer).await?;
    Ok(())
}
