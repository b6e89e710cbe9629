//! The bodies of the 执法文书 drawn from the on-site record (现场检查记录, 责令限期整改指令书,
//! 现场处理措施决定书, 整改复查意见书): HTML fragments for the print page, every value escaped.
//!
//! Decisions: a finding's legal basis is printed only when it may be (a verified
//! item's, a typed one, or an unverified item's the inspector confirmed); otherwise
//! "依据待核实". Before the visit starts, the record's documents have no body (the
//! page says the record is not filled in). A deadline is printed as decided: the
//! hazard's date once the record is complete (working days counted from service on
//! site), with the working days beside it.

use super::complete::{Parts, parts};
use super::domain::SignerKind;
use crate::entities::{hazard, inspection, inspection_finding, inspection_verdict};
use crate::error::AppResult;
use crate::inspection::domain::DocumentType;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn date_zh(d: chrono::NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

fn time_zh(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "—".to_owned(), crate::clock::beijing)
}

/// The body of document `kind` of inspection `i` as an HTML fragment (every value
/// escaped), or `None` when the type is not drawn from the record or the record
/// it is drawn from has not been started (the page then says it is not filled in).
pub async fn body<C: ConnectionTrait>(db: &C, i: &inspection::Model, kind: DocumentType) -> AppResult<Option<String>> {
    let from_the_visit =
        matches!(kind, DocumentType::SiteRecord | DocumentType::RectificationOrder | DocumentType::OnSiteMeasures);
    if from_the_visit && i.started_at.is_none() {
        return Ok(None);
    }
    let p = parts(db, i).await?;
    let hazards = hazards(db, &p).await?;
    Ok(match kind {
        DocumentType::SiteRecord => Some(site_record(i, &p, &hazards)),
        DocumentType::RectificationOrder => Some(order(&p, &hazards)),
        DocumentType::OnSiteMeasures => Some(measures(&p)),
        DocumentType::ReinspectionOpinion => Some(opinion(db, i).await?),
        DocumentType::ApprovalForm | DocumentType::ServiceReceipt => None,
    })
}

async fn hazards<C: ConnectionTrait>(db: &C, p: &Parts) -> AppResult<Vec<hazard::Model>> {
    let ids: Vec<i64> = p.findings.iter().filter_map(|f| f.hazard_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(hazard::Entity::find().filter(hazard::Column::Id.is_in(ids)).all(db).await?)
}

fn basis(p: &Parts, f: &inspection_finding::Model) -> String {
    let item = f.item_code.as_deref().and_then(|c| p.items.iter().find(|i| i.item.code == c));
    match &f.basis {
        Some(b) if super::items::basis_printable(item, f.basis_confirmed) => esc(b),
        _ => "依据待核实".to_owned(),
    }
}

fn deadline(f: &inspection_finding::Model, hazards: &[hazard::Model]) -> String {
    if f.rectified_on_spot {
        return "已当场整改".to_owned();
    }
    let decided = f.hazard_id.and_then(|id| hazards.iter().find(|h| h.id == id)).and_then(|h| h.deadline);
    match (decided.or(f.deadline), f.deadline_working_days) {
        (Some(d), Some(n)) => format!("{}前（自送达之日起 {n} 个工作日）", date_zh(d)),
        (Some(d), None) => format!("{}前", date_zh(d)),
        (None, Some(n)) => format!("自送达之日起 {n} 个工作日内"),
        (None, None) => "—".to_owned(),
    }
}

fn findings_table(p: &Parts, hazards: &[hazard::Model], only_ordered: bool) -> String {
    let mut out = String::from(
        "<table class=\"letter-table doc-findings\"><tr><th>序号</th><th>问题</th><th>级别</th><th>依据</th><th>整改期限</th></tr>",
    );
    let rows = p.findings.iter().filter(|f| !only_ordered || !f.rectified_on_spot);
    for (n, f) in rows.enumerate() {
        let title = super::view::finding_title(p, f);
        let place = f.location.as_deref().map(|l| format!("（部位：{}）", esc(l))).unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}：{}{place}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            n + 1,
            esc(&title),
            esc(&f.description),
            f.severity.zh(),
            basis(p, f),
            esc(&deadline(f, hazards)),
        );
    }
    out.push_str("</table>");
    out
}

fn signatures(p: &Parts) -> String {
    let mut out = String::from("<div class=\"doc-signatures\">");
    for s in &p.signatures {
        let who = match s.signer_kind {
            SignerKind::Inspector => {
                format!("执法人员：{}（执法证号 {}）", esc(&s.name), esc(s.certificate_no.as_deref().unwrap_or("—")))
            }
            SignerKind::Enterprise => format!("被检查单位负责人：{}", esc(&s.name)),
        };
        let mark = match (s.refused, s.attachment_id) {
            (true, _) => format!(
                "拒绝签字（见证人：{}；情况：{}）",
                esc(s.witness.as_deref().unwrap_or("—")),
                esc(s.reason.as_deref().unwrap_or("—"))
            ),
            (false, Some(a)) => format!("<img class=\"doc-signature\" src=\"/api/v1/attachments/{a}\" alt=\"签名\">"),
            (false, None) => String::new(),
        };
        let _ = write!(out, "<p class=\"doc-signer\">{who} {mark} {}</p>", esc(&time_zh(Some(s.signed_at))));
    }
    out.push_str("</div>");
    out
}

fn site_record(i: &inspection::Model, p: &Parts, hazards: &[hazard::Model]) -> String {
    let position = match (i.latitude, i.longitude) {
        (Some(la), Some(lo)) => format!("{la:.5}, {lo:.5}"),
        _ => i.position_note.clone().unwrap_or_else(|| "—".to_owned()),
    };
    let mut out = format!(
        "<table class=\"letter-table\"><tr><th>检查时间</th><td>{} 至 {}</td></tr><tr><th>定位</th><td>{}</td></tr>\
         <tr><th>在场人员</th><td>{}</td></tr></table>",
        esc(&time_zh(i.started_at)),
        esc(&time_zh(i.completed_at)),
        esc(&position),
        esc(i.people_present.as_deref().unwrap_or("—")),
    );
    out.push_str("<h2 class=\"doc-section\">检查情况</h2><table class=\"letter-table doc-items\"><tr><th>编号</th><th>检查内容</th><th>结果</th><th>说明</th></tr>");
    for it in &p.items {
        let r = p.results.iter().find(|r| r.item_code == it.item.code);
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&it.item.code),
            esc(&it.item.text),
            r.map_or("未检查", |r| r.outcome.zh()),
            esc(r.and_then(|r| r.note.as_deref()).unwrap_or("")),
        );
    }
    out.push_str("</table><h2 class=\"doc-section\">发现的问题</h2>");
    out.push_str(&if p.findings.is_empty() {
        "<p>未发现问题。</p>".to_owned()
    } else {
        findings_table(p, hazards, false)
    });
    if !p.measures.is_empty() {
        out.push_str("<h2 class=\"doc-section\">现场处理措施</h2>");
        out.push_str(&measure_list(p));
    }
    out.push_str(&signatures(p));
    out
}

fn order(p: &Parts, hazards: &[hazard::Model]) -> String {
    let mut out = String::from(
        "<p class=\"doc-intro\">经现场检查，你单位存在下列问题，依据《中华人民共和国安全生产法》第六十五条，责令你单位在下列期限内整改完毕，整改期间采取有效措施确保安全，并将整改情况书面报告我局：</p>",
    );
    out.push_str(&findings_table(p, hazards, true));
    out.push_str("<p>逾期未整改的，依据《中华人民共和国安全生产法》第一百零二条依法处理。</p>");
    out
}

fn measure_list(p: &Parts) -> String {
    let mut out =
        String::from("<table class=\"letter-table doc-measures\"><tr><th>措施</th><th>范围</th><th>依据</th></tr>");
    for m in &p.measures {
        let _ =
            write!(out, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", m.kind.zh(), esc(&m.scope_text), esc(&m.basis));
    }
    out.push_str("</table>");
    out
}

fn measures(p: &Parts) -> String {
    let mut out = String::from(
        "<p class=\"doc-intro\">经现场检查，依据《中华人民共和国安全生产法》第六十五条第一款第（三）项，现作出如下现场处理决定：</p>",
    );
    out.push_str(&measure_list(p));
    out.push_str("<p>重大事故隐患排除后，经审查同意，方可恢复生产经营和使用。</p>");
    out
}

async fn opinion<C: ConnectionTrait>(db: &C, i: &inspection::Model) -> AppResult<String> {
    let verdicts = inspection_verdict::Entity::find()
        .filter(inspection_verdict::Column::InspectionId.eq(i.id))
        .order_by_asc(inspection_verdict::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = verdicts.iter().map(|v| v.hazard_id).collect();
    let hazards = hazard::Entity::find().filter(hazard::Column::Id.is_in(ids)).all(db).await?;
    let mut out = String::from(
        "<p class=\"doc-intro\">经对你单位整改情况进行复查，复查意见如下：</p><table class=\"letter-table doc-verdicts\"><tr><th>序号</th><th>隐患</th><th>复查结论</th><th>说明</th></tr>",
    );
    for (n, v) in verdicts.iter().enumerate() {
        let title = hazards.iter().find(|h| h.id == v.hazard_id).map(|h| h.title.clone()).unwrap_or_default();
        let verdict = if v.passed { "已整改，复查合格" } else { "未整改完毕，复查不合格" };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{verdict}</td><td>{}</td></tr>",
            n + 1,
            esc(&title),
            esc(v.note.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</table>");
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_escaped() {
        assert_eq!(super::esc("<b>\"x\"&'"), "&lt;b&gt;&quot;x&quot;&amp;&#39;");
    }
}
