//! What a notice says: the message kinds, their Chinese templates
//! (`templates/mail/`), and enqueueing rendered messages into the outbox inside
//! the caller's transaction.

use crate::entities::outbox;
use crate::error::{AppError, AppResult};
use askama::Template;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, TryInsertResult};
use std::collections::HashSet;

/// The outbox `channel` of mail rows (an SMS gateway would add `sms`).
pub const MAIL_CHANNEL: &str = "mail";

/// Rows per `INSERT`: 200 × 11 bound values stays far below the parameter
/// limits of SQLite (32 766) and PostgreSQL (65 535).
const BATCH: usize = 200;

/// Subjects longer than this are cut (mail clients show less anyway).
const MAX_SUBJECT_CHARS: usize = 160;

/// Message kinds. The stored name ([`Kind::as_str`]) is part of the data and
/// never changes; the recipient is in each variant's doc comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Regulator: a major hazard was reported and awaits 认定.
    HazardToConfirm,
    /// Enterprise: a major hazard was handed over (交办).
    HazardAssigned,
    /// Enterprise: rectification submitted; 验收 by someone other than the rectifier.
    HazardToAccept,
    /// Inspector: rectification reported, awaiting 复查.
    HazardToReinspect,
    /// Regulator: a major hazard awaits the on-site review (待现场审查).
    HazardToReview,
    /// Enterprise: verification failed, back to rectifying.
    HazardRejected,
    /// Enterprise: the deadline is within a few days.
    HazardDueSoon,
    /// Enterprise: the deadline has passed.
    HazardOverdue,
    /// Supervising regulators: an enterprise's hazard is overdue.
    HazardOverdueRegulator,
    /// Regulators of the parent bureau: a major hazard is overdue by 7 days or more.
    HazardEscalated,
    /// Supervising regulators: a major hazard has awaited review for 10 days.
    HazardReviewPending,
    /// Regulator: an enterprise asks for a later deadline.
    ExtensionRequested,
    /// Enterprise: the extension request was decided.
    ExtensionDecided,
    /// Regulator: an enterprise's quarterly hazard statistics are late.
    StatisticsLate,
    /// Supervising regulators: a report through a bureau channel awaits 核查 past its time.
    HazardCheckLate,
    /// Supervising regulators: a confirmed major hazard awaits 交办 past its time.
    HazardAssignLate,
    /// Enterprise: an assigned major hazard has no 治理方案 past its time.
    HazardPlanLate,
    /// Supervising regulators: an enterprise meets 安全生产法 art. 113.
    ClosureAlert,
    /// Case handlers: a penalty decision is not published within its working days.
    PublicationLate,
    /// Enterprise and insurer users: a 安责险 policy ends within `days`.
    InsuranceExpiring,
    /// Supervising regulators: a mandatory enterprise's 安责险 cover lapsed.
    InsuranceLapsed,
}

impl Kind {
    pub const ALL: [Self; 21] = [
        Self::HazardToConfirm,
        Self::HazardAssigned,
        Self::HazardToAccept,
        Self::HazardToReinspect,
        Self::HazardToReview,
        Self::HazardRejected,
        Self::HazardDueSoon,
        Self::HazardOverdue,
        Self::HazardOverdueRegulator,
        Self::HazardEscalated,
        Self::HazardReviewPending,
        Self::ExtensionRequested,
        Self::ExtensionDecided,
        Self::StatisticsLate,
        Self::HazardCheckLate,
        Self::HazardAssignLate,
        Self::HazardPlanLate,
        Self::ClosureAlert,
        Self::PublicationLate,
        Self::InsuranceExpiring,
        Self::InsuranceLapsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::HazardToConfirm => "hazard_to_confirm",
            Self::HazardAssigned => "hazard_assigned",
            Self::HazardToAccept => "hazard_to_accept",
            Self::HazardToReinspect => "hazard_to_reinspect",
            Self::HazardToReview => "hazard_to_review",
            Self::HazardRejected => "hazard_rejected",
            Self::HazardDueSoon => "hazard_due_soon",
            Self::HazardOverdue => "hazard_overdue",
            Self::HazardOverdueRegulator => "hazard_overdue_regulator",
            Self::HazardEscalated => "hazard_escalated",
            Self::HazardReviewPending => "hazard_review_pending",
            Self::ExtensionRequested => "extension_requested",
            Self::ExtensionDecided => "extension_decided",
            Self::StatisticsLate => "statistics_late",
            Self::HazardCheckLate => "hazard_check_late",
            Self::HazardAssignLate => "hazard_assign_late",
            Self::HazardPlanLate => "hazard_plan_late",
            Self::ClosureAlert => "closure_alert",
            Self::PublicationLate => "publication_late",
            Self::InsuranceExpiring => "insurance_expiring",
            Self::InsuranceLapsed => "insurance_lapsed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What the templates fill in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeContext {
    pub enterprise_name: String,
    /// The hazard's title (for [`Kind::StatisticsLate`], the report, e.g. `2026年第三季度隐患排查治理情况统计`).
    pub hazard_title: String,
    pub hazard_id: i64,
    pub deadline: Option<NaiveDate>,
    /// Days left ([`Kind::HazardDueSoon`]) or overdue / waiting (the others).
    pub days: Option<i64>,
    /// Free text: the verification opinion, the extension decision…
    pub note: Option<String>,
    /// Absolute URL of the matter (see [`super::link`]).
    pub link: String,
}

/// One message to one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: Kind,
    /// Mail address.
    pub to: String,
    pub ctx: NoticeContext,
    /// Same cause, step and recipient → same key: a second enqueue is ignored.
    pub dedupe_key: String,
}

/// A message as stored: rendered at enqueue time so the worker only sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "mail/subject.txt")]
struct SubjectTemplate<'a> {
    kind: Kind,
    c: &'a NoticeContext,
}

#[derive(Template)]
#[template(path = "mail/body.txt")]
struct TextTemplate<'a> {
    kind: Kind,
    c: &'a NoticeContext,
    deadline: Option<String>,
}

#[derive(Template)]
#[template(path = "mail/body.html")]
struct HtmlTemplate<'a> {
    kind: Kind,
    c: &'a NoticeContext,
    deadline: Option<String>,
    subject: &'a str,
    /// The link as a link only when it is http(s).
    href: Option<&'a str>,
}

fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// One line, no control characters, bounded length.
fn one_line(s: &str) -> String {
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect();
    let line = words.join(" ");
    if line.chars().count() > MAX_SUBJECT_CHARS {
        let cut: String = line.chars().take(MAX_SUBJECT_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        line
    }
}

/// Renders subject, plain text and HTML for a notice.
pub fn render(kind: Kind, c: &NoticeContext) -> Result<Rendered, askama::Error> {
    let deadline = c.deadline.map(zh_date);
    let subject = one_line(&SubjectTemplate { kind, c }.render()?);
    let text = TextTemplate { kind, c, deadline: deadline.clone() }.render()?;
    let href = (c.link.starts_with("https://") || c.link.starts_with("http://")).then_some(c.link.as_str());
    let html = HtmlTemplate { kind, c, deadline, subject: &subject, href }.render()?;
    Ok(Rendered { subject, text, html })
}

fn row(at: DateTime<Utc>, n: Notice) -> AppResult<outbox::ActiveModel> {
    let r = render(n.kind, &n.ctx).map_err(|e| AppError::Internal(anyhow::anyhow!("rendering mail: {e}")))?;
    Ok(outbox::ActiveModel {
        channel: Set(MAIL_CHANNEL.to_owned()),
        kind: Set(n.kind.as_str().to_owned()),
        recipient: Set(n.to.trim().to_owned()),
        subject: Set(r.subject),
        body_text: Set(r.text),
        body_html: Set(r.html),
        dedupe_key: Set(n.dedupe_key),
        created_at: Set(at),
        next_attempt_at: Set(at),
        claimed_until: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        sent_at: Set(None),
        failed_at: Set(None),
        ..Default::default()
    })
}

/// Writes notices to the outbox inside the caller's transaction, so they are
/// sent if and only if the change that caused them commits. A dedupe key seen
/// before (in this call or ever) is ignored, and so is a notice without an
/// address (the to-do is enough then). Returns how many rows are new.
pub async fn enqueue<C: ConnectionTrait>(db: &C, at: DateTime<Utc>, notices: Vec<Notice>) -> AppResult<usize> {
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(notices.len());
    for n in notices {
        if !n.to.trim().is_empty() && seen.insert(n.dedupe_key.clone()) {
            rows.push(row(at, n)?);
        }
    }
    let mut inserted = 0_u64;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(BATCH));
        let batch = std::mem::replace(&mut rows, rest);
        let res = outbox::Entity::insert_many(batch)
            .on_conflict(OnConflict::column(outbox::Column::DedupeKey).do_nothing().to_owned())
            .try_insert()
            .exec_without_returning(db)
            .await?;
        if let TryInsertResult::Inserted(n) = res {
            inserted += n;
        }
    }
    Ok(usize::try_from(inserted).unwrap_or(usize::MAX))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ctx() -> NoticeContext {
        NoticeContext {
            enterprise_name: "武汉甲化工有限公司".into(),
            hazard_title: "储罐区<script>alert(1)</script>可燃气体报警器失效".into(),
            hazard_id: 42,
            deadline: NaiveDate::from_ymd_opt(2026, 12, 1),
            days: Some(3),
            note: Some("请补充\"整改前后\"照片 & 检测报告".into()),
            link: "https://anjian.example.gov.cn/hazards/42?tab=1&x=2".into(),
        }
    }

    #[test]
    fn every_kind_renders_enterprise_title_and_link() {
        let c = ctx();
        for kind in Kind::ALL {
            let r = render(kind, &c).unwrap();
            let k = kind.as_str();
            assert!(!r.subject.is_empty() && !r.subject.contains('\n'), "{k}: {}", r.subject);
            assert!(r.subject.contains("武汉甲化工有限公司"), "{k} subject: {}", r.subject);
            assert!(r.subject.contains("可燃气体报警器失效"), "{k} subject: {}", r.subject);
            for body in [&r.text, &r.html] {
                assert!(body.contains("武汉甲化工有限公司"), "{k}: {body}");
                assert!(body.contains("可燃气体报警器失效"), "{k}: {body}");
            }
            assert!(r.text.contains(&c.link), "{k}: {}", r.text);
            assert!(r.text.contains("<script>alert(1)</script>"), "{k}: plain text is not escaped");
            assert!(r.html.contains("https://anjian.example.gov.cn/hazards/42?tab=1&#38;x=2"), "{k}: {}", r.html);
            assert!(!r.html.contains("<script>"), "{k}: HTML must escape: {}", r.html);
            assert!(r.html.contains("&#60;script&#62;") || r.html.contains("&lt;script&gt;"), "{k}: {}", r.html);
            assert!(r.html.contains("&#34;整改前后&#34;") || r.html.contains("&quot;整改前后&quot;"), "{k}");
            assert_eq!(Kind::parse(k), Some(kind));
        }
    }

    #[test]
    fn kinds_have_distinct_names_and_subjects() {
        let c = ctx();
        let names: HashSet<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        let subjects: HashSet<_> = Kind::ALL.iter().map(|k| render(*k, &c).unwrap().subject).collect();
        assert_eq!(names.len(), Kind::ALL.len());
        assert_eq!(subjects.len(), Kind::ALL.len());
    }

    #[test]
    fn days_and_deadline_are_shown_when_given() {
        let c = ctx();
        assert!(render(Kind::HazardDueSoon, &c).unwrap().text.contains("还有 3 天到期"));
        assert!(render(Kind::HazardOverdue, &c).unwrap().text.contains("已逾期 3 天"));
        assert!(render(Kind::ExtensionRequested, &c).unwrap().text.contains("延长隐患"));
        assert!(render(Kind::ExtensionRequested, &c).unwrap().text.contains("至2026年12月1日"));
        let bare = NoticeContext { days: None, deadline: None, note: None, ..ctx() };
        let r = render(Kind::HazardDueSoon, &bare).unwrap();
        assert!(r.text.contains("即将到期") && !r.text.contains("期限：") && !r.text.contains("说明："));
    }

    #[test]
    fn subject_is_one_bounded_line() {
        let c = NoticeContext { hazard_title: format!("第一行\r\n第二行{}", "长".repeat(300)), ..ctx() };
        let s = render(Kind::HazardOverdue, &c).unwrap().subject;
        assert!(!s.contains('\n') && !s.contains('\r'));
        assert!(s.contains("第一行 第二行"));
        assert_eq!(s.chars().count(), MAX_SUBJECT_CHARS);
    }

    #[test]
    fn only_http_links_become_anchors() {
        let c = NoticeContext { link: "javascript:alert(1)".into(), ..ctx() };
        let html = render(Kind::HazardOverdue, &c).unwrap().html;
        assert!(!html.contains("href=\"javascript"), "{html}");
    }
}
