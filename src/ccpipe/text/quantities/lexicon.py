"""The nouns Chinese government reports and plans count most, with their English plural and their kind.

The kind lets a classifier refuse a noun it cannot count: 家 counts organisations (130家企业自动监控设备 counts
enterprises, not equipment), 座 buildings and places, 项 abstract things, 条 lines, 台 machines.
"""

from __future__ import annotations

PLACE, ORGANISATION, PERSON, ABSTRACT, FACILITY, THING, LINE = (
    "place",
    "org",
    "person",
    "abstract",
    "facility",
    "thing",
    "line",
)

_BY_KIND: dict[str, dict[str, str]] = {
    PLACE: {
        "国家和地区": "countries and regions", "国家及地区": "countries and regions", "发展中国家": "countries",
        "国家": "countries", "地区": "regions", "区域": "regions", "重点区域": "regions", "省份": "provinces",
        "省": "provinces", "城市": "cities", "地级市": "cities", "市": "cities", "县": "counties",
        "县城": "county towns", "区": "districts", "乡镇": "towns", "镇": "towns", "小镇": "towns",
        "街道": "subdistricts", "村": "villages", "行政村": "villages", "自然村": "villages", "贫困村": "villages",
        "村落": "villages", "地方": "localities", "新城": "new towns", "社区": "communities",
        "小区": "residential communities", "片区": "areas",
        "街区": "blocks", "园区": "parks", "开发区": "development zones", "示范区": "demonstration zones",
        "试验区": "pilot zones", "集聚区": "clusters", "流域": "river basins", "区段": "sections",
        "断面": "monitoring sections", "点位": "monitoring sites", "监测点位": "monitoring sites", "站点": "sites",
        "灌区": "irrigation districts", "景区": "scenic areas",
    },
    ORGANISATION: {
        "企业": "enterprises", "小微企业": "enterprises", "工业企业": "enterprises", "重点企业": "enterprises",
        "经营主体": "business entities", "市场主体": "business entities", "单位": "entities",
        "排放单位": "entities", "机构": "institutions", "金融机构": "institutions", "银行": "banks",
        "医院": "hospitals", "学校": "schools", "高校": "universities", "大学": "universities",
        "幼儿园": "kindergartens", "博物馆": "museums", "供应商": "suppliers", "部门": "departments",
        "中心": "centres", "网点": "outlets", "工厂": "factories", "驿站": "stations",
    },
    PERSON: {
        "人口": "people", "居民": "residents", "群体": "people", "人员": "people", "人才": "people",
        "专家": "experts", "毕业生": "graduates", "高校毕业生": "graduates", "农户": "households",
        "贫困户": "households", "家庭": "households", "户": "households", "游客": "visitors", "观众": "visitors",
        "学生": "students", "志愿者": "volunteers", "老人": "older people",
    },
    ABSTRACT: {
        "项目": "projects", "重大项目": "major projects", "重大专项": "major projects", "专项": "projects",
        "工程": "projects", "改造": "projects", "行动": "actions", "任务": "tasks", "措施": "measures",
        "举措": "measures", "政策": "policies", "标准": "standards", "国家标准": "standards",
        "地方标准": "standards", "制度": "rules", "规定": "rules", "事项": "items", "实事": "tasks",
        "案例": "cases", "试点": "pilots", "功能": "functions", "指标": "indicators", "类别": "categories",
        "种类": "types", "成果": "results", "奖项": "awards", "文件": "documents", "协议": "agreements",
        "谅解备忘录": "memoranda of understanding", "备忘录": "memoranda", "合同": "contracts",
        "账户": "accounts", "开户数": "accounts", "投诉": "complaints", "问题": "problems", "作品": "works",
        "技术": "technologies", "产品": "products", "模式": "models", "途径": "ways", "行业": "sectors",
        "产业": "industries", "产业集群": "industrial clusters", "集群": "clusters", "平台": "platforms",
        "基地": "bases", "领域": "areas", "方面": "aspects", "团队": "teams", "渠道": "channels",
        "倡议": "initiatives", "名额": "places", "机制": "mechanisms", "市场": "markets", "检查": "inspections",
        "学位": "school places", "岗位": "jobs", "场景": "scenarios", "演出": "performances",
    },
    FACILITY: {
        "公园": "parks", "园": "parks", "电站": "power stations", "水闸": "sluices", "水库": "reservoirs",
        "堤防": "embankments", "桥梁": "bridges", "立交桥": "interchanges", "户厕": "toilets", "厕所": "toilets",
        "加油站": "filling stations", "加注站": "filling stations", "监测站": "monitoring stations",
        "场馆": "venues", "住房": "homes", "房屋": "houses", "农房": "houses", "海外仓": "overseas warehouses",
        "充电站": "charging stations", "超充站": "charging stations",
    },
    THING: {
        "充电桩": "charging points", "充电设施": "charging facilities", "床位": "beds", "养老床位": "beds",
        "停车位": "parking spaces", "车位": "parking spaces", "车辆": "vehicles", "汽车": "vehicles",
        "新能源汽车": "vehicles", "船舶": "vessels", "船": "vessels", "无人机": "drones", "家电": "appliances",
        "设备": "units", "终端": "terminals", "生猪": "pigs", "证书": "certificates",
        "运单": "waybills",
    },
    LINE: {
        "道路": "roads", "通道": "routes", "逃生通道": "escape routes", "线路": "lines", "航线": "routes",
        "产业链": "industrial chains",
    },
}  # fmt: skip

NOUNS: dict[str, str] = {zh: en for nouns in _BY_KIND.values() for zh, en in nouns.items()}
KIND: dict[str, str] = {zh: kind for kind, nouns in _BY_KIND.items() for zh in nouns}
# What a classifier can count; a classifier not named here counts anything (个, 批, 种…).
COUNTS: dict[str, frozenset[str]] = {
    "家": frozenset({ORGANISATION, FACILITY}),
    "所": frozenset({ORGANISATION}),
    "座": frozenset({FACILITY, PLACE}),
    "处": frozenset({FACILITY, PLACE}),
    "项": frozenset({ABSTRACT}),
    "宗": frozenset({ABSTRACT}),
    "件": frozenset({ABSTRACT, THING}),
    "部": frozenset({ABSTRACT}),
    "场": frozenset({ABSTRACT}),
    "场次": frozenset({ABSTRACT}),
    "条": frozenset({LINE, ABSTRACT}),
    "台": frozenset({THING}),
    "张": frozenset({THING}),
    "套": frozenset({THING, FACILITY}),
    "户": frozenset({PERSON, ORGANISATION}),
}
