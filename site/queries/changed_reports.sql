-- title: 首次发布后被修改的报告
-- description: 本项目存档后附件内容又发生变化的报告（版本号大于 1）；每个版本的原始文件都保存在存档中。查询结果最多显示 1000 行；完整名单请在“报告（reports）”表按 version > 1 筛选后导出 CSV（导出全部行）或下载整个数据库。
-- hide_sql: true

select r.id as report_id, r.agency as 发布机关, r.year as 年度, r.title as 报告标题, r.version as 版本,
  r.first_seen as 首次抓取, r.last_seen as 最近抓取,
  (select group_concat('第' || v.version || '版 ' || v.first_seen, '；') from report_versions v where v.report_id = r.id) as 各版本首次抓取,
  r.page_url as 原网页
from reports r
where r.version > 1
order by r.last_seen desc
