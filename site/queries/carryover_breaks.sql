-- title: 跨年度结转对不上
-- description: 同一机关相邻两年：本年报告的“上年结转”不等于上一年报告的“结转下年度”。这是报告之间的矛盾，数值未作任何修正。查询结果最多显示 1000 行；完整名单请在“核对结果（checks）”表按 name = carryover_continuity、passed = 0 筛选后导出 CSV（导出全部行）或下载整个数据库。
-- hide_sql: true

select r.agency as 发布机关, r.year - 1 as 上一年度, r.year as 年度, c.detail as 说明, r.id as report_id,
  c.compared_report_id as previous_report_id, r.page_url as 原网页
from checks c join reports r on r.id = c.report_id
where c.name = 'carryover_continuity' and c.passed = 0
order by r.agency, r.year
