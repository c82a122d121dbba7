-- title: 数字对不上的报告
-- description: 报告自身表格的勾稽关系核对未通过：哪一项、哪些行列、各是多少，并链接原网页和统计数据所依据的存档原件。查询结果最多显示 1000 行；完整名单请在“核对结果（checks）”表按 passed = 0 筛选后导出 CSV（导出全部行）或下载整个数据库。
-- hide_sql: true

select r.id as report_id, r.agency as 发布机关, r.year as 年度, r.title as 报告标题, v.label as 核对项, c.name as 核对项代码,
  c.detail as 说明, r.page_url as 原网页, 'objects/' || substr(r.facts_document, 1, 2) || '/' || substr(r.facts_document, 3, 2) || '/' || r.facts_document as archive_path
from checks c
join reports r on r.id = c.report_id
left join vocabulary v on v.dimension = 'check' and v.key = c.name
where c.passed = 0 and c.name != 'carryover_continuity'
order by r.year desc, r.agency
