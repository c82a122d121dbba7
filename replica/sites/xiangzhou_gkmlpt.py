"""珠海市香洲区 — the district's 政府信息公开目录 on Guangdong's gkmlpt platform: the annual reports of its
government, departments, towns and streets in one directory (replica/platforms/gkmlpt.py makes it from a seed).

The host is real (a public crawler reads `www.zhxz.gov.cn/gkmlpt/api/all/0?…`); the SID, the column tree, the
bodies' ids and every report are made up. The department names follow a district government's usual line-up.
"""

from replica.platforms.gkmlpt import DistrictBodies, GkmlptSite, district_directory

HOST = "www.zhxz.gov.cn"
DISTRICT = "珠海市香洲区"

_DEPARTMENTS = (
    "发展和改革局", "教育局", "科技和工业信息化局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "住房和城乡建设局", "农业农村和水务局", "商务局", "文化广电旅游体育局", "卫生健康局", "退役军人事务局",
    "应急管理局", "审计局", "市场监督管理局", "统计局", "城市管理和综合执法局", "政务服务数据管理局",
    "医疗保障局", "信访局", "投资促进局", "国有资产监督管理局", "机关事务管理局", "人民防空办公室",
    "地方金融工作办公室", "外事局", "交通运输局", "林业局", "档案局",
)
_TOWNS = ("南屏镇", "唐家湾镇")
_STREETS = ("翠香街道办事处", "梅华街道办事处", "前山街道办事处", "吉大街道办事处", "拱北街道办事处",
            "香湾街道办事处", "狮山街道办事处", "湾仔街道办事处", "凤山街道办事处")

BODIES = DistrictBodies(
    government=f"{DISTRICT}人民政府",
    government_office=f"{DISTRICT}人民政府办公室",
    departments=tuple(DISTRICT + name for name in _DEPARTMENTS),
    towns=tuple(DISTRICT + name for name in _TOWNS),
    streets=tuple(DISTRICT + name for name in _STREETS),
)


def site() -> GkmlptSite:
    return district_directory(seed="xiangzhou_gkmlpt", host=HOST, sid="756013", area_id=440402,
                              site_name=f"{DISTRICT}人民政府", region_code="440402", bodies=BODIES)
