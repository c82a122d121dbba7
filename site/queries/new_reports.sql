-- title: 新存档的报告
-- description: 最近首次存档的 50 份报告；也可订阅 Atom：/reports/new_reports.atom
-- hide_sql: true

select 'urn:gov-report-archive:report:' || r.id as atom_id, r.title as atom_title, r.first_seen as atom_updated,
  coalesce(web_url(r.page_url), '/reports/reports/' || r.id) as atom_link,
  r.agency || '，' || coalesce(r.year || ' 年度', '年度不详') || '，提取：' || r.status || '，核对：' || coalesce(r.check_status, '') as atom_content,
  r.agency as atom_author_name, r.id as report_id
from reports r
order by r.first_seen desc
limit 50
