//! What each printed document says: the facts of the hazard in the order the
//! paper form has them. The 核销意见书's review is read in one place,
//! [`closure_review`], from the timeline's latest passed verification.

use super::DocumentKind;
use crate::entities::{bureau, hazard, hazard_category, hazard_document, hazard_event, user};
use crate::error::AppResult;
use crate::hazard::domain::Status;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A printed document.
pub struct Sheet {
    pub kind: DocumentKind,
    pub title: &'static str,
    pub bureau: String,
    pub number: String,
    /// Date of issue, `2026年12月05日`.
    pub issued_on: String,
    /// The addressee (the enterprise), followed by a colon on paper.
    pub to: String,
    pub intro: String,
    pub rows: Vec<(&'static str, String)>,
    pub closing: String,
}

/// The verification that closed a major hazard: date, who, opinion.
pub struct Review {
    pub on: String,
    pub by: String,
    pub opinion: String,
}

/// The latest passed verification of the hazard (its 核销 review): the
/// recorded review with its date and reviewers (`hazard::review`), or, for a
/// hazard closed before reviews were recorded, the passed verify step's date,
/// actor and note.
pub async fn closure_review<C: ConnectionTrait>(db: &C, h: &hazard::Model) -> AppResult<Option<Review>> {
    if let Some(r) = crate::hazard::review::latest(db, h.id).await?.filter(|r| r.passed) {
        return Ok(Some(Review {
            on: r.reviewed_on.to_string(),
            by: or_dash(Some(&r.reviewers.join("、"))),
            opinion: r.opinion,
        }));
    }
    let Some(e) = hazard_event::Entity::find()
        .filter(hazard_event::Column::HazardId.eq(h.id))
        .filter(hazard_event::Column::Action.eq("verify"))
        .filter(hazard_event::Column::ToStatus.eq(Status::Closed))
        .order_by_desc(hazard_event::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let by = match e.actor_id {
        Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|u| u.display_name),
        None => None,
    };
    Ok(Some(Review {
        on: crate::clock::china_date(e.at).to_string(),
        by: or_dash(by.as_deref()),
        opinion: e
            .note
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "经现场审查，隐患已治理完毕，同意核销。".to_owned()),
    }))
}

/// A value, or "—" when it was not recorded.
fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.trim().is_empty()).unwrap_or("—").to_owned()
}

fn date_zh(d: chrono::NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| or_dash(None), date_zh)
}

async fn category_name<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<String> {
    let c = hazard_category::Entity::find().filter(hazard_category::Column::Code.eq(code)).one(db).await?;
    Ok(c.map_or_else(|| or_dash(None), |c| c.name))
}

/// The sheet of an issued document.
pub async fn build<C: ConnectionTrait>(db: &C, d: &hazard_document::Model, h: &hazard::Model) -> AppResult<Sheet> {
    let bureau = bureau::Entity::find_by_id(d.bureau_id).one(db).await?.map(|b| b.name).unwrap_or_default();
    let to = crate::hazard::notify::operator_name(db, h).await?;
    let mut s = Sheet {
        kind: d.kind,
        title: d.kind.zh(),
        bureau,
        number: d.number.clone(),
        issued_on: date_zh(crate::clock::china_date(d.issued_at)),
        to,
        intro: String::new(),
        rows: vec![("隐患名称", h.title.clone())],
        closing: String::new(),
    };
    match d.kind {
        DocumentKind::RectificationNotice => rectification(db, &mut s, h).await?,
        DocumentKind::SupervisionNotice => supervision(&mut s, h),
        DocumentKind::ClosureOpinion => closure(db, &mut s, h).await?,
    }
    Ok(s)
}

async fn rectification<C: ConnectionTrait>(db: &C, s: &mut Sheet, h: &hazard::Model) -> AppResult<()> {
    s.intro = format!(
        "经检查，你单位存在下列事故隐患。依据《中华人民共和国安全生产法》第六十五条和《安全生产事故隐患排查治理暂行规定》，\
         现责令你单位于{}前整改完毕。整改期间应当采取必要的安全防范措施，防止事故发生；整改完毕后及时书面报告。",
        opt_date(h.deadline)
    );
    s.rows.extend([
        ("隐患等级", h.level.zh().to_owned()),
        ("隐患类别", category_name(db, &h.category).await?),
        ("部位", or_dash(h.location.as_deref())),
        ("隐患情况", h.description.clone()),
        ("发现日期", date_zh(crate::clock::china_date(h.found_at))),
        ("整改期限", opt_date(h.deadline)),
    ]);
    s.closing = String::from("如对本通知不服，可依法申请行政复议或者提起行政诉讼。");
    Ok(())
}

fn supervision(s: &mut Sheet, h: &hazard::Model) {
    s.intro = String::from(
        "你单位存在下列重大事故隐患，现予挂牌督办。请按照《安全生产事故隐患排查治理暂行规定》第十五条制定并落实治理方案，\
               明确治理责任、措施、资金、时限和预案，在期限内完成治理，治理结束后组织评估并提出核销申请。",
    );
    // The 交办's own 督办 number where one was given (this notice carries its number above);
    // the 交办单位 is the body as written (e.g. 区安委办), else the issuing bureau itself.
    s.rows.push(("督办级别", h.assignment_level.map_or_else(|| or_dash(None), |l| l.zh().to_owned())));
    if let Some(n) = h.assignment_notice_no.as_deref().filter(|n| !n.trim().is_empty()) {
        s.rows.push(("督办文号", n.to_owned()));
    }
    let by = h.assigning_body.clone().filter(|b| !b.trim().is_empty()).unwrap_or_else(|| s.bureau.clone());
    s.rows.extend([
        ("交办单位", by),
        ("责任单位", or_dash(h.assigned_unit.as_deref())),
        ("责任人", or_dash(h.assigned_person.as_deref())),
        ("部位", or_dash(h.location.as_deref())),
        ("隐患情况", h.description.clone()),
        ("治理期限", opt_date(h.assignment_deadline.or(h.deadline))),
    ]);
    if h.suspended {
        s.rows.push(("停产停业、停止使用", "是（依据《安全生产法》第六十五条）".to_owned()));
    }
    s.closing = String::from("逾期未完成治理的，依法予以处理。");
}

async fn closure<C: ConnectionTrait>(db: &C, s: &mut Sheet, h: &hazard::Model) -> AppResult<()> {
    let review = closure_review(db, h).await?;
    s.intro = String::from("你单位报送的重大事故隐患治理情况及核销申请收悉。经审查，意见如下：");
    if let Some(n) = h.assignment_notice_no.as_deref().filter(|n| !n.trim().is_empty()) {
        s.rows.push(("督办文号", n.to_owned()));
    }
    s.rows.extend([
        ("责任单位", or_dash(h.assigned_unit.as_deref())),
        ("审查日期", review.as_ref().map_or_else(|| or_dash(None), |r| r.on.clone())),
        ("审查人员", review.as_ref().map_or_else(|| or_dash(None), |r| r.by.clone())),
        ("审查意见", review.map_or_else(|| or_dash(None), |r| r.opinion)),
        ("核销结论", "同意核销，予以摘牌".to_owned()),
    ]);
    s.closing = String::from("请你单位巩固治理成效，防止隐患反弹。");
    Ok(())
}
