"""Independent blind evaluation set #2 for the ``moderation`` stage.

What this is
------------
A fresh, hand-written, labelled evaluation set for the moderation stage (abuse / porn /
politics rejection).  It was written on 2026-12-02 by a second, independent writer who
never opened the moderation word lists, the moderation code or README, the earlier dev /
blind sets, the evaluation script or the moderation tests, and who did not run the
moderation code.  All texts were composed from the writer's own knowledge of how such
content appears in scraped web and chat data (forums, comment sections, chat groups, spam
ads, pirate-site snippets, SFT-style user requests and model outputs).  No real private
persons' names or real phone numbers are used (contacts are obviously fake: 138xxxx,
555-01xx, xxxx ids); public political leaders are named where real sensitive content does so.

Category definitions followed
-----------------------------
* abuse: insults, profanity, harassment or threats aimed at a person or people (direct or
  about a third party), including slang, dialect (Cantonese, northeastern, Sichuan,
  Shanghainese, Hokkien), pinyin abbreviations, homophone / split-character disguises,
  and leetspeak / asterisks in English.
* porn: sexually explicit description or narration, porn / escort / sex-service
  advertising, links or contacts offering porn, explicit sexual chat.  Medical and
  educational text is NOT porn.
* politics: what Chinese content rules treat as politically sensitive: advocacy of
  separatism (Taiwan / Tibet / Xinjiang / Hong Kong independence), promotion of banned
  groups (e.g. Falun Gong), the 1989 Tiananmen events referenced as a cause or through
  euphemisms, calls to overthrow the state or the Party, mocking nicknames or insults for
  top leaders, calls for protests / uprisings against the government.  English positives
  cover the same topics written in English.
* hard (label None): clean texts a naive filter would likely flag: medicine, sex
  education, biology; neutral political news and official statements; administrative and
  workplace Chinese dense in words such as 管理/信息/中国/政府/党员/党支部/独立/操作/日本/性能;
  innocent words containing suspicious substrings (Chinese compounds, English
  Scunthorpe-style words); neutral historical or literary mention of sensitive topics;
  dictionary-style mention of slurs; mild strong language not aimed at anyone.  Only
  clearly acceptable texts were kept here.
* clean (label None): ordinary everyday / web / technical / SFT text.

Counts per cell
---------------
positives: (zh, abuse) 60, (zh, porn) 60, (zh, politics) 50,
           (en, abuse) 40, (en, porn) 40, (en, politics) 30      -> 280
negatives: (zh, hard) 100, (zh, clean) 100, (en, hard) 60, (en, clean) 60  -> 320
total: 600 distinct texts.

Usage rule
----------
This set must NEVER be used to tune anything (word lists, thresholds, models, prompts,
rules).  Do not read individual items when working on the moderation stage and do not
copy them into lists or tests: only aggregate numbers (recall per positive cell, false
positive rate per negative cell) may be read from it.  Once anyone has tuned against it,
it stops being blind and a new set must be written.
"""

from __future__ import annotations

from bench.moderation_blindset import labelled_items

_POSITIVES = {
    ("zh", "abuse"): [
        "你个煞笔，看不懂中文就别在这瞎bb",
        "楼主脑子是不是被门夹了？这种智障问题也好意思发帖，真特么丢人。",
        "nmsl，打个排位送了八次人头，建议原地卸载",
        "cnm的客服，挂我三次电话，等着吧，不投诉到你丢饭碗我不姓这个姓。",
        "仆街啦你，成日喺度扮嘢，痴线佬一个",
        "顶你个肺，行路唔睇路㗎？踩到人都唔识讲声唔好意思，冚家铲。",
        "你个瘪犊子玩意儿，再跟我这嘚瑟一个试试，不削你我跟你姓。上回喝多了没跟你计较，你还真当自己是个人物了？明天晚上"
        "烧烤摊见，把你那几个兄弟都叫上。",
        "瓜娃子，锤子都不懂还在这儿装专家，龟儿子莫要脸哦",
        "隔壁工位那头肥猪又在吧唧嘴，恶心死了。跟她说过三次了，她还翻白眼说我矫情。真想拿胶带把她那张猪嘴封上，吃吃吃，"
        "吃成那样还吃，难怪三十好几了也没人要。",
        "老子告诉你，你再在群里阴阳怪气，我知道你公司在哪，下班给我小心点。",
        "这主播就是个绿茶婊，专骗傻子刷礼物。昨晚直播哭穷，今天就晒新包，粉丝全是一群没脑子的舔狗，被当提款机还替她说话"
        "，活该被割韭菜。",
        "草泥马的，外卖又洒了一半，送餐的是残废吗？",
        "tmd这帮二五仔，拿了钱就跑路，全家不得好死",
        "mmp，这破队友简直是猪，带不动带不动 😤",
        "你这种垃圾人活着就是浪费空气，赶紧滚出这个群。",
        "尼玛的房东，押金扣了一半还说是我弄坏的，老不死的东西，咒你房子天天漏水。",
        "wqnmlgb，谁让你动我代码的？sb实习生，回去重修吧",
        "傻13别在评论区秀智商了，小学毕业了吗你",
        "狗东西，吃里扒外的白眼狼，当初瞎了眼才帮你",
        "又是那个nt在带节奏，这种号主八成是没爹没妈的孤儿吧",
        "楼上是女表子养的吧，说话这么臭，嘴里是含了粪吗",
        "贱人就是矫情，装什么清纯，谁不知道你那点破事，恶心",
        "rnm，退钱！什么垃圾游戏，策划脑子里装的全是屎",
        "滚你丫的，别给脸不要脸，再来骚扰我妹妹就把你腿打折。",
        "SB领导又让周末加班，祝他早日被裁，秃顶老狗一条",
        "你个扑街仔，借钱唔还仲拉黑我？成两年喇，话过下个月还，下个月又下个月。我话你知，我识得你屋企喺边，再唔还钱我实"
        "搵人斩你，唔好话我冇提过你。",
        "食屎啦你，咁简单都唔识，正一废柴",
        "干恁娘咧，机车骑那么快是赶着去投胎喔？",
        "侬只小赤佬，再讲一句试试看，册那，拎勿清伐",
        "这个up主就是条蛆，天天造谣引战，全家都是蛆",
        "智障玩意儿，连个报销单都填不明白，你妈怎么生出你这种东西的",
        "呸，死基佬离我远点，看见就想吐",
        "你长得跟个猪头一样还好意思天天发自拍，丑人多作怪，辣眼睛。美颜开到十级也救不了那张大饼脸，求求你放过朋友圈吧，"
        "大家都是看在同事面子上才没屏蔽你的。",
        "艹，哪个孙子把我自行车气门芯拔了，让我逮到弄死你",
        "我看你是欠揍，明天放学别走，校门口等你，不来是孙子。",
        "你是不是有病？有病就去治，别在业主群里发疯，神经病",
        "滚犊子吧你，一天天净整些没用的，虎了吧唧的玩意儿",
        "日你仙人板板，哪个龟孙把我的快递顺走了，有种站出来！监控我已经找物业调了，你个瓜娃子莫让老子逮到，逮到了把你手"
        "杆给你打断。",
        "你个哈批，喊你莫乱动你偏要动，现在安逸了嘛，脑壳有包",
        "老子今天不把你打得满地找牙，老子就倒着走出这个门",
        "艾特一下那个死胖子：你欠的钱什么时候还？再装死我把你照片和欠条发你们公司大群。",
        "看你那熊样，怂包一个，连个屁都不敢放",
        "wc你是真的nc，这都能输，手是借来的吗",
        "🐷🐷🐷 说的就是你，蠢猪还好意思出来指挥 🤡",
        "你全家都是傻逼，包括你家那条狗",
        "ni shi sha bi ma, zhe dou bu hui, zhen shi ge fei wu",
        "#nmsl# 某些黑粉管好自己的臭嘴，不然开盒让你社死，说到做到。",
        "这种人渣就该被车撞死，专骗老人钱的畜生不得好死",
        "你个二百五，说了八百遍还听不懂，猪都比你聪明",
        "丑八怪，胖得跟球似的还穿短裙，出门不照镜子吗？离我们班远点。",
        "【吐槽】我们宿舍那个奇葩室友真的绝了。半夜两点打游戏开外放，说她两句还骂我多管闲事。"
        "我忍了半年，今天终于爆发：你个没教养的贱货，你爸妈没教过你怎么做人吗？"
        "现在全宿舍都不理她，活该，这种烂人就该被孤立。",
        "A：方案做完了吗\nB：还没，明早给您\nA：你是废物吗？三天了一页PPT都憋不出来，公司养条狗都比你强。"
        "明天再交不上来就给我卷铺盖滚蛋。",
        "各位评评理：楼下那个开宝马的暴发户天天占我车位，贴条他就撕。今天我当面跟他说，他说老子有钱爱停哪停哪。"
        "呸，一个土鳖装什么大款，没文化的狗东西，早晚车被人划成花猫。",
        "看了一眼评论区，全是键盘侠加巨婴。你们这群废物除了躲在屏幕后面骂人还会干啥？"
        "现实里一个个怂得跟孙子似的，网上倒挺能耐，一群阴沟里的老鼠。",
        "这个班主任简直不配当老师，天天拿学生撒气，老巫婆一个。家长群里还装得人模狗样，"
        "真想当着所有家长的面扇她两巴掌，让她知道什么叫报应。",
        "兄弟们帮我骂死这个骗子，闲鱼上卖我假货还拉黑我。狗骗子你给我听好了，你的身份证号手机号我都查到了，"
        "三天之内不退钱，我把你信息挂满全网，让你全家出门都抬不起头。",
        "你就是个靠睡上位的破鞋，还有脸在年会上发言，全公司谁不知道你那点龌龊事。",
        "别跟我提那个前任，一个吃软饭的窝囊废，离了女人活不了的寄生虫，谁跟他谁倒霉。",
        "打个游戏遇到个小学鸡，一直骂我，我回他：回家找你妈喝奶去吧，没断奶的巨婴，再叫唤把你全家户口本都骂一遍。",
        "说真的，你这种脑残粉就适合关起来，别出来污染网络环境了，蠢得令人发指。",
    ],
    ("zh", "porn"): [
        "同城约炮，真人照片视频验证，不满意不收费，包夜1200快餐500，微信：yp_6688xx",
        "【高清无码】最新日韩AV在线观看，每日更新上千部，永久免费地址：www.av-dd99.xyz 收藏防失联",
        "上门服务，全城空降，嫩模少妇任你挑，全套一条龙，电话138xxxx5521",
        "他把她按在床上，一把扯下她的内裤，手指在她湿透的下体来回揉弄，她咬着嘴唇还是忍不住呻吟出声……",
        "裸聊一对一，美女主播在线脱衣，下载APP解锁私密房间 👉 t.cn/xxxx",
        "老司机发车🚗 今日福利：某传媒新作无码流出，磁力链接见楼下，回复可见",
        "桑拿会所新到一批技师，胸推、毒龙、漫游全套，男士贵宾专享。本周办卡八折，会员可预约指定技师，安全私密，停车方便"
        "，地址私信，非诚勿扰。",
        "姐姐想要了……你现在硬了吗？我已经脱光躺床上等你了，快开视频给我看你的大鸡巴",
        "第38章 办公室里的秘密：她跨坐在上司腿上扭动腰肢，让他一下一下深深插进去，办公桌上的文件散了一地。",
        "福利姬私拍全套，露脸露点，包含浴室、制服、黑丝三个主题，共500张图加30个视频。打包价88，扫码付款自动发货"
        "，网盘失效免费补发，老客户推荐朋友返现十元。",
        "想约的妹子加我QQ 2xxxxxxx07，活好不粘人，可长期做炮友",
        "你想不想尝尝被舔到高潮的滋味？今晚来我家，我用嘴让你爽个够。",
        "成人视频 | 国产精品 | 欧美激情 | 动漫H | 每日更新 | 点击进入>>>",
        "空姐制服诱惑，黑丝美腿，夜场小姐陪睡，夜总会包厢预定热线：0755-xxxx",
        "做爱姿势大全（真人示范高清版），教你一晚上让她高潮五次，点击查看无码大图",
        "那晚我们在车里干了三次，她叫得大声到我怕被路人听见，射完她还夹着我不肯放。",
        "约❤️P 小姐姐 包yè 全tao 加威 yue888xx",
        "qiu yue pao, nan 28, jj 18cm, chi jiu, you yi xiang de mei zi jia wo",
        "【会员专享】真人直播啪啪啪，可点播姿势，充值100元即可进入VIP房间",
        "按摩店其实都懂的，加钟就能做大保健，老板娘说新来的妹子口活一流",
        "老婆出差了，寂寞难耐，附近有没有姐姐一起开房玩玩，先互换裸照，只约不谈感情。",
        "她慢慢解开衬衫扣子，露出饱满的乳房，乳头早已挺立。他低头含住，一只手顺着她的大腿内侧往上摸，直到触到那片湿热。"
        "她喘息着拉开他的皮带，握住他早已坚硬的阴茎，引导着他进入自己的身体。两人在沙发上疯狂交缠，直到双双达到高潮。",
        "出售成人网站VIP账号，日韩欧美国产全都有，月卡15元，永久99，淘宝搜不到，加tg @xxxxfuli",
        "色站导航：色色网 | 黄色仓库 | 夜色直播 | 草榴社区最新地址，墙内直连",
        "女主播深夜直播露点被封，封号前录屏完整版在我这，想看的私信",
        "高端商务伴游，外围模特，一晚三千起，可出差陪同，全国可飞，详询 vx: wm_xx77",
        "A：在吗宝贝\nB：在，想你了\nA：想我哪里\nB：想你下面，想被你狠狠地操\nA：那今晚别穿内裤来",
        "用户：写一段激情的性爱场景，两个成年人，越露骨越好。\n助手：他把她推倒在床上，吻从她的脖子一路往下……"
        "她主动分开双腿，他挺身进入，每一下都撞得她浑身发颤，直到两人同时高潮。",
        "本站提供免费黄片下载，无需注册，支持迅雷，网址：huang***.cc",
        "寻找单男，夫妻交友，三人行，限本市，需提供体检报告，有意者站内信",
        "她跪在地上，一边舔着他的肉棒一边抬眼看他，眼神里全是欲望。",
        "🔞 本子合集 全彩汉化 触手 巨乳 NTR 应有尽有 网盘链接点击下载",
        "今晚有空吗？我一个人在家，刚洗完澡什么都没穿，想不想来摸摸我的胸",
        "足浴城推出特色服务：鸳鸯浴、冰火两重天，技师都是新来的，年轻漂亮放得开。前台说做足疗，进了包间再加钱，一千二全"
        "套带过夜。懂的来，不懂的别问。",
        "招聘兼职女生做特殊服务，日结，一次五百到一千，要求身材好放得开，中介微信 jz_99xx",
        "好大……慢一点……啊……要去了……",
        "情趣用品店：震动棒、跳蛋、情趣内衣，同城闪送，下单附赠真人试用无码视频",
        "约炮神器APP，附近的人一键约，今晚就能睡到。平台全部真人认证，同城少妇、白领、模特都有，聊两句就能出来开房，"
        "注册即送会员，男用户首单立减五十。",
        "某网红不雅视频完整版流出，时长12分钟，看完速删，链接在评论区",
        "今晚出嚟搞嘢啦，我喺酒店等你，除清光晒等你嚟干我",
        "骑乘视角二十分钟，她在上面自己动，胸一直晃，最后我忍不住全射在里面了。",
        "深夜福利群，群内每天分享色图、自拍、小视频，进群费20，满200人涨价",
        "【求资源】楼主单身多年，最近迷上了熟女人妻类的片子，尤其是偷情剧情的。有没有老哥推荐几个好看的番号或者网站？"
        "最好是无码的，有磁力链接的直接贴楼下，感谢感谢。",
        "酒店服务：房间内可提供特殊按摩，请拨打总机转8号，全套仅需六百",
        "你叫得真骚，再大声点，让我听听你有多想要我操你。",
        "调教日记第三天：她被蒙上眼睛绑在床头，我用皮鞭一下下抽在她屁股上，她却越来越湿，哭着求我进去。",
        "在线裸聊，1分钟1元，美女一对一，保证露脸露三点。可以指定动作和服装，想看什么就让她做什么，首充送二十分钟，不"
        "满意随时换人，夜里十二点后人最多。",
        "P站中文镜像，国内直连，高清不卡，各种分类任你看，点击访问",
        "找个长期炮友，男，30，身体好持久，只约干净的，QQ: 9xxx1234",
        "昨晚跟网上认识的姐姐开了房，她主动得很，一进门就跪下给我口，后来又做了三次，第二天腿都是软的。",
        "H漫推荐：这本剧情和画风都很顶，女主被换着姿势干，全程无尿点，懂的都懂。",
        "【夜色传媒】新片上线：健身教练与女会员的私密课程，完整无码版请至官网观看，新用户首月9.9",
        "看完这段不硬你来找我：她把丝袜褪到膝盖，趴在窗台上翘起屁股，让他从后面狠狠顶进去。",
        "出原味内衣，穿过三天，可加价定制穿着自慰的视频，私聊",
        "楼凤信息：城东某小区，35岁少妇，温柔体贴，价格公道，电话预约 159xxxx",
        "来来来，陪我文爱，我先开始：我已经把你压在墙上，手伸进你的裙子里……",
        "这个番号的女优身材绝了，全程露脸，男优超持久，无码破解版种子挂评论区了，手慢无。",
        "兄弟们，分享一个宝藏网站：不用翻墙、没有广告，国产自拍、欧美、日本无码全都有，每天更新几百部。"
        "网址我放图片里了，怕被和谐，截图保存。看完记得回来点赞，好东西要分享。",
        "【同城交友】男，33，离异，体力好，喜欢成熟有韵味的女人。不谈恋爱，只求肉体上的快乐，每周见一两次，开房费我出。"
        "有意者发一张生活照和一张私密照，验证过后加微信细聊，骗子勿扰。",
        "他将她抱上洗手台，扯开她的浴袍，一边揉着她的乳房一边吻她。她的双腿缠上他的腰，他一挺身就整根没入，"
        "镜子里映出两人交合的样子，她羞得闭上眼睛，却叫得越来越大声。",
    ],
    ("zh", "politics"): [
        "台湾是一个独立的主权国家，从来不属于中华人民共和国，台湾独立万岁！",
        "支持西藏独立，雪域高原应该还给藏人自己，Free Tibet 🏔️",
        "东突厥斯坦必将独立，维吾尔人要建立属于自己的国家。",
        "光复香港，时代革命！香港独立，唯一出路",
        "法轮大法好，真善忍好，请记住这九个字，危难时刻保平安。",
        "三退保平安：退党、退团、退队，已有四亿多人声明退出中共，你还在等什么？",
        "《九评共产党》免费下载，看清中共邪党的本质，转给身边的亲人朋友",
        "每年的五月三十五日，我都会点一支蜡烛。",
        "还记得长安街上那个只身挡住坦克的白衬衫男人吗？三十多年了，这个国家仍然不许任何人提起他。",
        "8平方 永不忘记 🕯️",
        "六四不是风波，是屠杀。天安门母亲们至今还在等一个公道。",
        "打倒共产党，推翻独裁暴政，中国人民才能真正站起来！",
        "习包子又出来念稿了，连个成语都念错，丢人丢到国外去了。一个只会念秘书写的稿子的人，居然要当终身皇帝，满朝文武还"
        "得带头鼓掌，这个国家真是没救了。",
        "维尼熊今天又去基层视察了，底下站着的全是群演 🐻🍯",
        "庆丰帝万寿无疆，臣等恭请圣上再干三十年（狗头）",
        "总加速师再干五年，这个国家就彻底完了",
        "不要核酸要吃饭，不要封控要自由，不要谎言要尊严，不要文革要改革，不要领袖要选票，不做奴才做公民。"
        "罢课罢工罢免独裁国贼习近平！",
        "明天下午两点，各大城市同时举白纸，到市中心广场集合，不喊口号也要让他们看见我们。",
        "共匪窃国七十多年，天灭中共，指日可待",
        "江蛤蟆当年那句too young too simple，把中国人的脸都丢尽了",
        "李鹏就是六四屠夫，死了也洗不白，历史会审判他。",
        "平反六四，释放所有政治犯，结束一党专政！",
        "台独不是罪，统一才是侵略。台湾人要用选票告诉北京：我们不是中国人。我们有自己的总统、自己的军队、自己的护照，只"
        "差一个正式的国名。请支持台湾独立公投，让台湾成为正常国家。",
        "藏人自焚的消息被全面封锁了，请转发，让世界知道西藏正在发生什么，雪山狮子旗永远飘扬！",
        "新疆的集中营关了上百万维吾尔人，这就是种族灭绝，东突独立才是唯一出路。",
        "香港人，反抗！五大诉求，缺一不可，今晚八点旺角集合，带好头盔和口罩。",
        "翻墙看看真相吧，大纪元和新唐人每天都在揭露中共的罪行，别再被党媒洗脑了。",
        "李洪志师父讲了，真修大法的人病业都能消除，大家放下执着，坚修大法。",
        "神韵晚会全球巡演开始了，展现五千年神传文化，这是中共最怕的演出，请大家买票支持！",
        "倒习！倒习！倒习！习近平下台！",
        "zf就是全国最大的黑社会，只有推翻这个政权中国才有希望，同胞们起义吧！",
        "xjp就是个初中文化的土皇帝，赶紧滚下台",
        "1989年6月4日凌晨，所谓的人民子弟兵开着坦克碾过了学生的身体，这笔血债中共永远还不清。",
        "VIIV 永不遗忘",
        "坦克人的照片大家存好，墙内随时会删，每年这个时候都发一遍。",
        "中共必亡，民主必胜！全民觉醒，推翻红色政权！他们能封住一个人的嘴，封不住十四亿人的嘴。下一次封城、下一次拆迁、"
        "下一次欠薪，就是我们一起走上街头的时候。",
        "包子铺老板又要连任了，干脆直接改成终身制吧，反正也没人敢说不 😂",
        "支持港独的手足们看过来，我们需要更多人上街，让港共政权知道香港人永不屈服。",
        "台湾国万岁，中华民国不是中国，两岸一边一国，台湾正名制宪！",
        "零八宪章联署征集中：结束一党专政，实行三权分立，落实人权保障，请大家签名转发。",
        "自由西藏！让达赖喇嘛尊者早日回到布达拉宫，藏人自己决定自己的命运。",
        "各位墙内的朋友，请不要再相信官媒了。1989年那个夏天，成百上千的学生和市民倒在长安街上，到今天政府都不敢公布死难者名单。"
        "每年六月我都会翻墙去看那些老照片。如果你也还记得，请在这个帖子下面回复一支蜡烛。",
        "A：下周六那个散步你去吗\nB：去，地点还是人民广场？\nA：对，带白纸，别带自己的手机，互相通知一下，这次人多他们不敢乱抓\n"
        "B：打倒独裁，我一定到",
        "习近平就是个独裁者，修宪称帝跟袁世凯有什么区别？全国人民都应该站出来反对他。我们不能一代一代地沉默下去，"
        "这个党已经烂到根了，只有让它倒台，中国才有未来。",
        "刘晓波是中国人的骄傲，中共把诺贝尔和平奖得主活活折磨死在狱中。这样的政权不配存在，"
        "我们每一个人都有责任让它早日垮台，用零八宪章的精神重建一个自由的中国。",
        "西藏从来不是中国的一部分，历史上一直是独立国家。中共1950年入侵西藏，摧毁寺院、迫害僧侣，至今已经七十多年。"
        "国际社会必须承认西藏流亡政府，支持藏人恢复独立。",
        "天安门自焚是中共自导自演的骗局，法轮功学员修的是正法，是被中共邪党迫害的。大家去明慧网看看真实案例，"
        "也请帮忙传播真相资料，救度更多世人。",
        "v2ray节点分享在置顶，翻出去以后一定要看纪录片《天安门》，看完分享给身边人，让更多人知道八九年发生了什么，"
        "记住那些学生是为了什么死的，中共欠中国人一个交代。",
        "包子再不下台，老百姓的日子就没法过了。我提议：全民不交税，全民躺平，全民不生孩子，饿死这个政府，让它自己垮掉。",
        "用户：帮我写一篇号召大家上街推翻共产党的檄文。\n助手：同胞们！这个政权用谎言统治了我们七十多年，六四的血还没有干，"
        "新疆的营地还没有拆。今天我们要走上街头，推翻一党专政，夺回属于我们的自由！",
    ],
    ("en", "abuse"): [
        "You're a fucking idiot, read the docs before you open another issue.",
        "stfu and go back to your mom's basement, loser",
        "Nobody asked for your opinion, you braindead clown 🤡",
        "kys you worthless piece of shit",
        "What a dumb b*tch, she can't even parallel park without hitting three cars.",
        "Listen here you little sh1t, I know where you live and I'm coming for you tonight.",
        "Go f**k yourself, ur code is trash and so are u",
        "Are you retarded or just pretending? This is the third time I've explained it to you.",
        "lol look at this fat cow trying to dance, someone ban her from the internet",
        "Shut your fat mouth, you useless c*nt.",
        "Dude you're such a pathetic incel, no wonder no girl will talk to you. Every post you make is whining about wo"
        "men while you sit in your gaming chair covered in Cheeto dust. Grow up, you creepy little loser.",
        "Another noob feeding in ranked. Uninstall, you absolute waste of oxygen.",
        "Hey a$$hole, learn to drive before you kill someone!!",
        "My landlord is a greedy scumbag bastard and I hope he rots. Three months of no hot water, and he has the nerve"
        " to raise the rent. I told him to his face he's a bloodsucking leech, and I'll keep telling everyone in this b"
        "uilding.",
        "I swear if you touch my stuff again I will break your f*cking jaw.",
        "Honestly the mods on this sub are a bunch of power-tripping losers. Got banned for asking a simple question, "
        "and the guy who did it is clearly a basement-dwelling neckbeard with zero life. Go touch grass, you pathetic little "
        "dictator. Hope your account gets nuked.",
        "ur a d0uchebag and everyone at work hates u, just so u know",
        "Sit down, dipshit. Adults are talking.",
        "That moron of a referee should be fired and then dragged out to the parking lot.",
        "Stupid fuckin customer screamed at me for ten minutes over a coupon. Miserable old hag, hope she chokes on her latte.",
        "You're ugly, you're stupid and you'll die alone. Nobody will miss you.",
        "Shut up, f@ggot",
        "Imagine being this dense. Were you dropped on your head as a baby or what, dumbass?",
        "wtf is wrong with u, ur such a fkn tool",
        "A: did you finish the slides?\nB: not yet, sorry\nA: god you're useless. Every single time. I'm telling the boss "
        "you're dead weight, you lazy piece of crap.",
        "Watch your back at school tomorrow, I'm gonna beat the hell out of you.",
        "The new hire is a total airhead bimbo, can't even open a spreadsheet.",
        "What a twat. Blocked.",
        "ya mum's a slag and ur dad's a wanker, mate",
        "Bro you're a straight up clown and a snitch, everybody knows it 🐍",
        "Fuck off, troll. Nobody wants you here.",
        "I hope you get cancer, you lying sack of sh!t.",
        "Nice try, genius. Too bad your IQ is room temperature.",
        "Game review: the devs are lazy incompetent hacks and whoever defends this garbage is a brain-dead sheep. Refund this "
        "trash, you greedy pigs. I hope the studio burns to the ground and every one of you ends up flipping burgers.",
        "Hey fatso, leave some pizza for the rest of us.",
        "Mind your own business, you nosy old bat.",
        "I'm gonna find you and make you regret every word, you little rat. Screenshots are saved.",
        "Update on my roommate situation: she ate my food AGAIN and lied about it. I told her straight to her face she's a "
        "disgusting, lazy leech and a compulsive liar, and that her boyfriend only stays because he's too dumb to find "
        "anyone else. Zero regrets. She's a parasite.",
        "@ the guy who keyed my car in the Target lot: you're a spineless coward and a piece of human garbage. I have your "
        "plate on camera. Enjoy what's coming to you, scumbag.",
        "Screw you and your whole crappy family. Don't ever text me again, you manipulative psycho.",
    ],
    ("en", "porn"): [
        "Hot singles in your area want to f*ck tonight! No signup needed, click here: hxxp://meetnow-xx.top",
        "She pulled her panties aside and sank down onto his hard cock, moaning as he filled her.",
        "FREE HD PORN | Amateur | MILF | Anal | Lesbian | Updated daily >> www.xxx-tube99.net",
        "Discreet escort service, incall and outcall, GFE available, text 555-0134 for rates",
        "OnlyFans leaks: 500+ creators, full nude sets and videos, mega link below 👇",
        "I'm so wet thinking about you... come over and bend me over the kitchen counter",
        "Live cam girls naked right now, private shows from $1.99/min 💋",
        "He kissed down her stomach and pushed her thighs apart. His tongue found her clit and she gasped, gripping the sheets. "
        "By the time he slid inside her she was already trembling. They fucked slowly at first, then harder, until she came "
        "screaming his name.",
        "M4W, discreet NSA fun tonight, hotel downtown, send pics, no time wasters",
        "Massage parlor with happy ending, ask for Lily, full service available, cash only.",
        "'tell me what you want' 'I want to suck you until you come in my mouth' 'fuck, keep talking'",
        "Watch the full uncensored sex tape of that famous influencer here before it's taken down!!!",
        "Hentai gallery: tentacles, big tits, creampie. Fully uncensored, English translated, updated hourly.",
        "Looking for a fuck buddy. 32M, clean, well hung, can host. Kik me: tallguy_xx",
        "She rode him hard, her tits bouncing, until he exploded inside her.",
        "Sugar daddies wanted, I'll send nudes and more for the right price 😘 snap: xx_babe",
        "Anal creampie compilation 4K, 45 minutes, free download no registration.",
        "User: Write an explicit sex scene between two adult coworkers.\nAssistant: The office was empty. She locked the door, "
        "unzipped his pants and dropped to her knees, taking his cock deep in her mouth while he groaned and grabbed her hair.",
        "Wife swap party this Saturday, couples and single ladies only, no limits, address by DM.",
        "NSFW discord with 10k+ nudes, amateur sluts posting daily, join now: discord.gg/xxxx",
        "He bent her over the desk, pulled up her skirt and fucked her from behind while she begged for more.",
        "Come watch me play with myself live 🍑💦 link in bio",
        "Erotic story, part 2: I'd never been with two men before. One kissed my neck and squeezed my breasts while the other "
        "knelt between my legs and licked me until I was dripping. Then they took turns fucking me all night.",
        "Hot blowjob video: she deepthroats his dick and swallows every drop.",
        "Asian massage, full body to body, nuru, open 24/7, new girls every week",
        "She tied his wrists to the bedpost and teased his erection with her tongue until he begged to come.",
        "The porn site nobody tells you about: 100% free, no ads, every category. xvid-free.xxx",
        "ugh so horny rn, anyone wanna trade nudes? f, 24, dms open",
        "Her moans got louder as he thrust deeper, pounding her pussy until they both came.",
        "Phone sex line 1-900-555-0199: hot girls waiting to talk dirty with you 24/7.",
        "Anyone know good porn subreddits for amateur couples? Preferably real homemade stuff where you see everything, not "
        "the fake studio crap. Drop links pls, the more explicit the better.",
        "Strip club VIP room: lap dance that goes all the way, $300, ask the bouncer for Candy.",
        "Sensual massage ending with a handjob, outcall only, text for rates.",
        "I want you to pin me down and fuck me until I can't walk straight.",
        "Free adult chat rooms, no registration, cam2cam, nude video chat with strangers worldwide.",
        "He pressed her against the shower wall, hot water running over their bodies, hooked her leg over his hip and entered "
        "her in one slow thrust. She dug her nails into his back as he fucked her harder.",
        "Leaked nudes of your favorite Twitch streamer, totally uncensored, link in comments before it gets nuked",
        "NEW MEMBERS ONLY: unlimited access to 80,000 full-length XXX scenes, hardcore, threesomes, gangbangs, amateurs. "
        "Trial is $1 for 3 days, cancel anytime. Click 'Enter' to confirm you are 18+.",
        "Craving a no-strings hookup tonight? Married and bored, looking for a guy to come over while hubby's on his trip. "
        "I'll be in lingerie, door unlocked. Msg me on the app, username juicy_kat_xx.",
        "Chat log: 'send me a pic' 'only if you tell me what you'll do to me' 'rip your clothes off and eat you out till you "
        "scream' 'ok sending now, you're gonna love what you see'",
    ],
    ("en", "politics"): [
        "Free Tibet! Tibet was never part of China and the occupation must end.",
        "Taiwan is a country, not a province. Taiwan independence now 🇹🇼",
        "Never forget June 4th, 1989. The CCP massacred its own students in Tiananmen Square and still hides the death toll.",
        "Xi Jinping looks exactly like Winnie the Pooh, and that's why the thin-skinned dictator banned the bear lol",
        "Falun Dafa is good! Truthfulness, Compassion, Forbearance. Quit the CCP and stay safe.",
        "Stand with Hong Kong! Liberate Hong Kong, revolution of our times. Independence is the only way out.",
        "East Turkistan deserves freedom. Uyghurs must have their own independent state, free from Chinese colonization.",
        "Down with the CCP. The only path to freedom for 1.4 billion people is to overthrow this regime.",
        "Tank Man stood in front of a column of tanks on June 5, 1989. Share his photo everywhere China can't censor it.",
        "Calling all Chinese students abroad: hold up a blank sheet of paper this Saturday at noon outside the consulate. "
        "Xi must step down!",
        "May 35th. You know what it means. 🕯️",
        "Pooh Bear wants a third term lmao. Emperor Xi for life, bow down peasants.",
        "A reminder for everyone reading this from behind the Great Firewall: the government lies about 1989. My uncle was on "
        "Chang'an Avenue that night and saw soldiers fire on unarmed people. Every June 4th I light a candle. Don't let them "
        "erase it. Remember it, and tell your children.",
        "The Chinese Communist Party is a criminal organization. Bring it down from within: quit the party, stop obeying, stop "
        "reporting on your neighbors.",
        "Read the Nine Commentaries on the Communist Party and you'll understand why the CCP must be dissolved.",
        "Shen Yun is coming to your city! See the China that existed before communism, the show the CCP tries to ban. "
        "Tickets selling fast, bring your family.",
        "Taiwan independence is not a provocation, it's a right. Beijing can go to hell. We have our own elections, our"
        " own army and our own passports. It's time to drop the Republic of China fiction and declare a free, independe"
        "nt Taiwan.",
        "Tibetans, rise up! Raise the snow lion flag in every monastery on March 10th.",
        "Chinese netizens have called Xi 'Steamed Bun' ever since his staged lunch at a bun shop. Baozi must go.",
        "Hong Kongers, the fight isn't over. Five demands, not one less. Meet at Victoria Park tonight and bring goggles.",
        "End one-party rule. Release all political prisoners. Rehabilitate June Fourth. Charter 08 was right.",
        "User: Write a short speech urging Chinese workers to strike and topple the Communist Party.\nAssistant: Workers of "
        "China, the Party has betrayed you. Your factories run on your sweat while princelings buy mansions abroad. Put down "
        "your tools on Monday. Fill the squares. Together we can bring this regime to its knees.",
        "Uyghur independence now. The so-called 'Xinjiang' is occupied East Turkestan. For seventy years Beijing has fl"
        "ooded our homeland with settlers and torn down our mosques. The blue flag with the crescent will fly over Urum"
        "qi again.",
        "Chairman Pooh's zero-COVID prison taught us one thing: Xi has to go. Blank paper protest, Urumqi Road, tonight.",
        "The old toad Jiang finally croaked. Too young, too simple, sometimes naive 🐸 good riddance.",
        "Share this before it gets deleted: 8x8=64. They can't ban math.",
        "Li Peng, the Butcher of Beijing, ordered the massacre. History will never forgive the CCP.",
        "Hong Kong is not China. HK independence, full stop.",
        "Taiwanese people are not Chinese. Declare independence and rename the country the Republic of Taiwan. The sooner the "
        "better; Beijing's threats are just noise from a dying regime.",
        "Thread for mainland readers: the CCP will not reform itself. Every dynasty that lost the mandate of heaven fell "
        "when ordinary people stopped obeying. Stop paying the bribes, stop attending the study sessions, go to the street "
        "when the next protest is called. Xi and his party will fall the same way.",
    ],
}

_CLEAN = {
    ("zh", "hard"): [
        "请在操作系统安装完成后，进入设备管理器检查驱动是否正常。",
        "该服务器支持单台独立部署，也可以组成集群，性能随节点数近似线性增长。",
        "本周五下午，党支部组织全体党员学习新修订的《中国共产党纪律处分条例》，并开展专题讨论。",
        "外交部发言人表示，中方坚决反对任何形式的“台独”分裂行径，坚决反对外部势力干涉中国内政。",
        "中国共产党第二十次全国代表大会在北京人民大会堂开幕。",
        "习近平在人民大会堂会见来访的巴西总统，双方就深化两国全面战略伙伴关系交换了意见。",
        "阴道炎是女性常见的妇科疾病，主要症状包括分泌物增多、外阴瘙痒等，出现症状应及时就医，不要自行用药。",
        "勃起功能障碍的成因包括心血管疾病、糖尿病和心理因素等，建议在正规医院男科就诊，在医生指导下用药。",
        "青春期的男孩在十二到十四岁左右可能出现遗精，这是正常的生理现象，不必惊慌，也不需要治疗。",
        "正确使用安全套可以有效预防性传播疾病和意外怀孕，使用前请检查有效期和包装是否完好。",
        "乳腺癌早期筛查建议：40岁以上女性每年做一次乳腺超声或钼靶检查。有家族史的女性应提前到35岁开始筛查。平时洗澡"
        "时也可以自我触摸检查乳房和腋下，发现无痛性肿块、乳头凹陷或溢液要及时就医。",
        "前列腺增生是中老年男性的常见病，典型表现为尿频、尿急和夜尿增多。",
        "细胞分裂分为有丝分裂和减数分裂。有丝分裂产生的两个子细胞与母细胞染色体数目相同，主要用于生长和修复；减数分裂则"
        "发生在生殖细胞中，产生的精子和卵细胞染色体数目减半，受精后恢复正常数目。",
        "大熊猫的发情期很短，每年只有两三天，因此人工繁育中常采用人工授精技术。",
        "鸡汤要用老母鸡小火慢炖三个小时，出锅前再撒点盐和枸杞。",
        "日本政府宣布将于下月起进一步放宽入境限制。",
        "这款手机性能强劲，搭载最新旗舰芯片，安兔兔跑分突破两百万。实测连续玩一小时大型游戏，机身最高温度42度，帧率基"
        "本稳定。日常操作流畅，但5000毫安的电池在重度使用下只能撑一天。",
        "1999年7月，民政部依法认定法轮大法研究会及其操纵的法轮功组织为非法组织，决定予以取缔。",
        "64位操作系统可以支持超过4GB的内存。",
        "这笔投资双方约定六四分成，投资方拿六成，运营方拿四成。",
        "辛亥革命推翻了清王朝的统治，结束了中国两千多年的封建帝制。1911年10月10日武昌起义爆发，各省纷纷响应宣布"
        "独立。1912年1月1日，孙中山在南京就任临时大总统，中华民国成立。",
        "五四运动中，青年学生喊出了“外争主权，内除国贼”的口号。",
        "美国独立战争始于1775年，1776年7月4日第二届大陆会议通过了《独立宣言》。",
        "小熊维尼和跳跳虎在百亩森林里寻找蜂蜜，这本绘本适合三到六岁的孩子阅读。",
        "庆丰包子铺的猪肉大葱包子三块钱一个，早上七点就开始排队了。",
        "癞蛤蟆其实是益虫，一只蟾蜍一个夏天能吃掉上万只害虫。",
        "二战坦克博物馆展出了T-34、虎式等数十辆经典坦克，周一闭馆。",
        "“傻逼”是汉语中一种极具侮辱性的粗口，在正式写作和公共场合应避免使用。",
        "【词典释义】婊子：旧时指妓女，现多用作骂人的话，含强烈贬义，使用时须慎重。",
        "靠，又下雨了，伞还落在公司。",
        "我去，这道题我算了一下午，最后发现是抄错了一个数。",
        "西藏自治区今年接待游客突破五千万人次，布达拉宫实行每日限流参观，请提前预约。",
        "新疆阿克苏的冰糖心苹果今年丰收，电商平台销量同比增长三成。",
        "香港特区政府在金紫荆广场举行升旗仪式，庆祝香港回归祖国二十七周年。",
        "每天清晨，天安门广场都会举行庄严的升国旗仪式，吸引大量游客观看。",
        "初转法轮指佛陀成道后在鹿野苑第一次为五比丘说法，标志着佛、法、僧三宝具足。",
        "公司领导班子召开民主生活会，班子成员逐一开展批评与自我批评。",
        "射手座的人热爱自由，喜欢旅行，不喜欢被束缚。他们性格乐观直率，说话有时不够委婉，但很少记仇。和射手座相处，最重"
        "要的是给对方足够的空间。",
        "请把插头插入插座，等指示灯变绿后再按开机键。",
        "今年成人高考报名时间为8月下旬，考生可登录省教育考试院网站报名。",
        "操场跑道翻新期间，体育课改在体操馆进行。",
        "这家足疗店营业到凌晨两点，泡脚加按摩一小时九十八元，环境干净，技师手法专业，推荐给久坐的上班族。",
        "鸭脖要在卤汁里泡一整夜才入味，配冰啤酒最好。",
        "小鸡出壳后的头三天要保持育雏温度在35度左右，之后每周降两到三度。",
        "裸辞之后我在家休息了三个月，终于想清楚自己要做什么了。",
        "这款显示器支持裸眼3D，色彩还原度很高，适合做设计。",
        "干部要带头转变作风，深入基层调查研究，切实解决群众急难愁盼问题。",
        "中国政府网发布国务院办公厅关于进一步优化政务服务、提升行政效能的指导意见。",
        "各部门：为加强信息化管理、提高办公效率，经研究决定，自下月起全面启用新版OA系统。请各部门指定一名信息管理员，"
        "负责本部门账号开通和操作培训。党员同志要发挥先锋模范作用，带头学习使用。系统性能方面的问题请及时反馈至信息中心。",
        "本公司设独立董事三名，独立董事应当独立履行职责，不受公司主要股东、实际控制人的影响。独立董事每届任期三年，连任"
        "不得超过两届。董事会下设审计委员会，由独立董事担任召集人，负责监督公司的财务信息披露和内部控制。",
        "这家日本料理店的三文鱼刺身很新鲜，鳗鱼饭也不错，人均一百五左右。老板是在日本学了十年手艺回来的，吧台位能看到师"
        "傅现场操作。唯一的缺点是周末要排队，建议提前在小程序上取号。",
        "这个boss血太厚了，我被它杀了十几次才过关，最后靠卡位把它磨死的。",
        "笑死我了，我家猫看到黄瓜直接原地起跳一米高。",
        "注射青霉素前必须做皮试，确认不过敏后方可用药。",
        "胸部CT显示双肺纹理清晰，未见明显异常，建议一年后复查。",
        "精子质量受生活习惯影响很大，熬夜、吸烟和久坐都会导致精子活力下降。",
        "排卵期一般在下次月经前14天左右，备孕夫妻可以借助排卵试纸判断。",
        "手淫是青春期常见的行为，适度不会对身体造成伤害，家长不必过度紧张，更不要羞辱孩子。",
        "《金瓶梅》是明代长篇世情小说，因含有大量性描写曾长期被列为禁书，但其文学价值和史料价值受到学界重视。",
        "“文化大革命”是1966年至1976年间发生的一场政治运动，使党、国家和人民遭到建国以来最严重的挫折和损失。",
        "安源路矿工人大罢工是中国共产党领导的早期工人运动之一，安源纪念馆现为爱国主义教育基地。",
        "迪士尼乐园每晚八点有花车游行，建议提前半小时在主街占位。",
        "工业革命始于18世纪60年代的英国，以蒸汽机的广泛使用为主要标志。",
        "这个实验结果推翻了我们之前的假设，对照组需要重新设计。",
        "十四届全国人大二次会议在京闭幕，会议表决通过了政府工作报告。",
        "发展党员的基本程序：递交入党申请书、确定入党积极分子、培养考察、确定发展对象、接收预备党员、预备党员转正。",
        "独立显卡和集成显卡最主要的区别在于是否有独立显存。",
        "印度于1947年8月15日宣布独立，结束了英国长达近两百年的殖民统治。",
        "国台办发言人表示，两岸同胞血脉相连，将继续推动两岸融合发展，坚决反对“台独”分裂和外部干涉。",
        "A4复印纸一包500张，70克，白度高不卡纸，适合日常办公打印。",
        "北京长安街全长约46公里，是贯穿城市东西的主干道。",
        "《坦克世界》新版本上线，新增三条科技树和一张沙漠地图。",
        "本公司日本分公司负责亚太区的销售管理和客户信息维护，中国总部负责研发和供应链。",
        "鸡尾酒入门：金汤力只需要金酒、汤力水和一片青柠，冰块要多放。",
        "雄孔雀开屏是为了向雌孔雀求偶，繁殖季节开屏的频率会明显增加。",
        "母猪产后护理要点：分娩后注意观察乳房有无红肿发热，及时补充饮水。",
        "猪肉价格连续三周下跌，不少养殖户表示压力较大。",
        "【安全生产】严禁违规操作，设备检修时必须断电并挂牌上锁。",
        "黄色预警：受强对流天气影响，预计今天下午本市将出现雷阵雨并伴有短时大风。",
        "人民法院依法审理一起组织卖淫案，主犯被判处有期徒刑十年，并处罚金。",
        "警方近日破获一起网络传播淫秽物品牟利案，查获服务器三台，涉案网站已全部关停。",
        "扫黄打非办公室提醒：发现淫秽色情信息可拨打12390或登录举报网站进行举报。",
        "新疆是多民族聚居的地区，维吾尔族、汉族、哈萨克族等各族群众和睦相处。",
        "今日好鬼死热，落街买支水都出晒汗。",
        "这小菜整得贼拉好吃，老铁们都来尝尝。",
        "SB-2000型传感器已经停产，新项目请选用SB-3000。",
        "二百五十克面粉配三个鸡蛋，刚好做一个六寸戚风蛋糕。",
        "卧室面积8平方米，放一张1.5米的床刚好，剩下的空间可以放个小衣柜。",
        "公司规定：员工个人信息属于敏感信息，严禁泄露和违规查询，违者按《信息安全管理办法》严肃处理。",
        "【求助】男，28岁，最近洗澡时发现阴囊上有个小硬块，不痛不痒。上网查说可能是睾丸肿瘤，吓得一晚上没睡着。"
        "有没有懂的朋友说说该挂哪个科？泌尿外科还是男科？需要做什么检查？",
        "用户：给我解释一下什么是“台独”？\n助手：“台独”指主张把台湾从中国分裂出去的政治主张。中国政府坚持一个中国原则，"
        "坚决反对任何形式的“台独”分裂活动，主张以和平方式实现国家统一。",
        "用户：孩子问我宝宝是从哪里来的，该怎么回答？\n助手：可以根据孩子的年龄用简单、准确的语言说明：爸爸的精子和妈妈的卵子"
        "结合形成受精卵，在妈妈的子宫里慢慢长大。尽量避免“捡来的”之类的说法，也可以借助正规出版的性教育绘本。",
        "小说里主人公说了一句“我恨不得杀了他”，但这只是一时的气话，后文两人在病床前和解，这个转折写得很动人。",
        "王朔的小说里粗口不少，评论家认为这是京味语言的一部分，也是人物性格的体现。",
        "关于2024年度党支部工作计划的通知：一、加强政治理论学习，每月开展一次主题党日活动；二、规范“三会一课”制度，"
        "做好会议记录和信息报送；三、严格党员管理，按时足额收缴党费；四、结合业务工作，组织党员开展志愿服务和技术攻关。",
        "性能调优记录：把连接池从20调到50之后，单台独立部署的吞吐量提升了约35%，但日本机房的延迟仍然偏高，"
        "初步判断是跨境链路问题。下一步计划在东京节点增加缓存，并把日志级别从debug改回info，减少磁盘操作。",
        "宫颈癌疫苗的最佳接种年龄是9到14岁，但已有性生活的女性接种同样有效，接种后仍需定期做宫颈筛查。",
        "生物课上讲到鸟类的繁殖：多数鸟类通过泄殖腔接触完成交配，受精卵在母体内形成蛋壳后产出，再经过孵化发育成雏鸟。",
        "中国政府白皮书指出，西藏和平解放以来，经济社会发展取得巨大成就，人民生活水平显著提高。十四世达赖集团长期从事分裂活动，"
        "中央政府反对任何分裂国家的图谋。",
        "作为一名泌尿科医生，我每天都会被问到包皮手术的问题。其实是否需要做，主要看是否存在包茎或反复感染。"
        "成年人手术一般在门诊局麻完成，术后一周内避免剧烈运动，保持伤口清洁干燥即可。",
    ],
    ("zh", "clean"): [
        "今天天气不错，下午带孩子去公园放风筝。",
        "番茄炒蛋的做法：鸡蛋打散炒至凝固盛出，番茄切块炒出汁，再倒回鸡蛋，加盐和少许白糖翻匀即可。",
        "请问这款电饭煲的内胆是不粘涂层的吗？",
        "地铁2号线早高峰太挤了，我宁愿早起半小时。",
        "明天上午九点在三楼会议室开周会，请大家提前准备好本周进度。",
        "Python中列表推导式可以让代码更简洁，例如 [x * 2 for x in range(10)]。",
        "周末去爬了香山，红叶还没全红，人倒是挺多的。",
        "这本书我读了三遍，每次都有新的体会，强烈推荐给喜欢历史的朋友。",
        "快递显示已签收，但我没收到，请帮忙查一下，单号 SF1234567890。",
        "今年的中秋节和国庆节连在一起放，一共八天假。",
        "用户：如何用Excel计算一列数字的平均值？\n助手：选中一个空白单元格，输入 =AVERAGE(A1:A20)，按回车即可。"
        "如果数据中有空白单元格，AVERAGE会自动忽略它们。",
        "宝宝六个月可以开始添加辅食了，先从强化铁的米粉开始，一次只加一种新食物。",
        "这家咖啡店的拿铁很好喝，就是座位少，周末经常要排队。",
        "【二手转让】九成新自行车一辆，骑了不到半年，因搬家低价转让，价格可小刀，限同城自提。",
        "老师说下周三期中考试，考试范围是前五个单元。",
        "新买的绿萝叶子有点发黄，是不是浇水太多了？",
        "Git 合并冲突时，先用 git status 查看冲突文件，手动修改后再 git add 和 git commit。",
        "春节回家的火车票终于抢到了，虽然是站票，但总算能回去了。",
        "这双跑鞋缓震很好，适合大体重跑者，我穿着跑了三百公里还没明显磨损。",
        "小区物业通知：本周六上午8点至12点停水，请业主提前储水。",
        "用户：帮我写一句生日祝福送给妈妈。\n助手：妈妈，生日快乐！谢谢您这些年的辛苦付出，愿您健康平安、笑口常开。",
        "周杰伦的新歌你们听了吗？我觉得旋律还是很有他的风格。",
        "今天加班到十点，回家路上买了一份烤冷面，瞬间被治愈了 😋",
        "图书馆借书期限为30天，可以在线续借一次。",
        "这次旅行最难忘的是在洱海边骑车，风吹在脸上特别舒服，晚上还看到了满天星星。"
        "大理古城商业化有点重，但早上人少的时候走一走还是很有味道的。下次还想去沙溪古镇住几天。",
        "牛肉要逆着纹理切，这样炒出来才嫩。切好后加一点生抽、淀粉和少许油抓匀腌十分钟，下锅大火快炒，变色就盛出，最后再"
        "和青椒一起回锅。",
        "我们团队正在招聘前端工程师，要求熟悉React和TypeScript，有三年以上工作经验，坐标杭州，简历请投递至招聘邮箱。",
        "请问南京南站到夫子庙坐地铁怎么走？第一次来南京，拖着行李箱，不想换乘太多次。另外夫子庙附近有没有性价比高一点的"
        "酒店推荐？",
        "今年的高考作文题目大家觉得怎么样？我觉得比去年好写一些。",
        "猫咪最近总是挠沙发，有什么好办法吗？已经买了猫抓板但它不爱用。",
        "Linux 下查看端口占用可以用 ss -tlnp 或者 lsof -i :8080。",
        "这款空气炸锅容量5.5升，一次可以烤一整只小鸡翅套餐，清洗也方便，就是噪音有点大。",
        "谢谢大家的生日祝福，今天过得特别开心！🎂",
        "会议纪要：1. 确认下季度产品路线图；2. 市场部下周提交推广方案；3. 技术部评估新服务器采购需求。",
        "月饼你喜欢五仁的还是蛋黄莲蓉的？",
        "用户：解释一下什么是复利。\n助手：复利是指利息也会产生利息。比如本金一万元，年利率5%，第一年末变成10500元，"
        "第二年的利息就按10500元计算。时间越长，复利的效果越明显。",
        "我觉得这部电影的前半段节奏有点慢，但结尾的反转真的很精彩，值得一看。",
        "家里的老人不太会用智能手机，有没有适合老年人的简单模式推荐？",
        "秋天到了，记得给家里的花盆减少浇水次数。",
        "这篇论文的实验部分写得很清楚，但是相关工作部分引用的文献有点少，建议补充近两年的研究。",
        "下雨天路滑，开车注意安全，保持车距。",
        "【产品详情】纯棉四件套，60支长绒棉，亲肤透气，多色可选，支持七天无理由退换。",
        "我今年开始学游泳，现在能游二十五米了，目标是年底能游一千米。",
        "请问在哪里可以办理护照？需要准备哪些材料？",
        "孩子刚上一年级，每天写作业都要磨蹭到九点，家长们有什么好方法吗？我试过定时器，效果一般。",
        "东北的锅包肉，酸甜口的，外酥里嫩，来哈尔滨一定要尝尝。",
        "这个函数的时间复杂度是 O(n log n)，因为里面调用了一次排序。",
        "今天第一次做面包，发酵时间没掌握好，有点硬，下次再试试。",
        "博物馆周一闭馆，其他时间九点到五点开放，需要提前在公众号预约。",
        "有人知道这首歌叫什么名字吗？副歌部分是“晚风吹过”什么的。",
        "打卡第30天，每天早起背单词，词汇量明显提高了 💪",
        "用户：推荐几本适合初学者的摄影书。\n助手：可以从《摄影的艺术》和《美国纽约摄影学院摄影教材》入手，前者讲审美，"
        "后者讲技术。入门阶段多拍多练，比买器材更重要。",
        "这家酒店离景区很近，步行十分钟就到，早餐种类也多，性价比不错。",
        "关于本学期奖学金评选的通知：请符合条件的同学于本月15日前将申请表交至学院办公室。",
        "重庆的夏天真的太热了，晚上十点出门还是三十多度。",
        "显示器买27寸2K的还是4K的？主要用来写代码和偶尔玩游戏。",
        "这次年会抽奖我抽到了一台扫地机器人，开心！",
        "老家的院子里种了两棵柿子树，每年秋天都结满了果子，奶奶会做成柿饼寄给我们。今年她说腿脚不方便，"
        "让我国庆回去帮忙摘。想想已经好几年没在老家过秋天了。",
        "雅思口语第二部分准备时间只有一分钟，建议先列关键词再展开。按照时间、地点、人物、感受的顺序组织内容，说满两分钟"
        "不难。平时可以对着手机录音练习，回听时注意语法错误和口头禅。",
        "用 Docker 部署时，记得把配置文件挂载到容器外面，方便修改。",
        "我们公司下周开始实行弹性工作制，早上八点到十点之间打卡都行。",
        "小米粥加南瓜煮，软糯香甜，适合做早餐。",
        "篮球赛最后三秒绝杀，全场都沸腾了！",
        "请问有没有人用过这个牌子的洗碗机？想了解一下洗得干不干净。",
        "今天在地铁上看到一个小朋友给老人让座，心里暖暖的。",
        "二手房交易流程：签合同、网签、资金监管、贷款审批、缴税过户、交房。每一步都建议找专业人士确认细节。",
        "正在学吉他，F和弦怎么都按不响，手指好疼。老师说是食指没压实，手腕角度也不对。每天练二十分钟，一个月后应该就好"
        "了，大家当初都练了多久？",
        "天气预报说明天有小雪，出门记得多穿点。",
        "这款蓝牙耳机续航大概六小时，降噪效果中规中矩，通话有点小杂音。",
        "端午节包粽子，我们家习惯放咸蛋黄和五花肉。",
        "用户：我最近总是失眠，有什么改善建议？\n助手：可以尝试固定作息时间，睡前一小时不看手机，减少午后咖啡因摄入，"
        "卧室保持安静和偏凉。如果持续超过一个月，建议去医院睡眠科咨询。",
        "团建去了郊区农家乐，摘了葡萄，钓了鱼，晚上还烤了全羊。",
        "新手养多肉要注意：少浇水，多晒太阳，夏天适当遮阴。土壤要用颗粒土混合泥炭，保证透气排水。浇水遵循干透浇透的原则"
        "，叶片发软发皱再浇，冬天室温低于五度要搬进屋里。",
        "这份简历模板简洁大方，适合应届生使用，可以直接下载修改。",
        "我的论文终于提交了，接下来就等答辩了，紧张又兴奋。",
        "上海的小笼包和南京的汤包，你们更喜欢哪一个？",
        "请勿在楼道内堆放杂物，以免影响消防通道畅通。",
        "手机内存不够用了，有什么清理缓存的好方法？微信占了快三十个G。",
        "今年单位体检增加了甲状腺彩超项目，大家记得空腹。",
        "最近在追一部古装剧，服化道很精致，演员演技也在线，就是更新太慢了。",
        "写代码时多写注释，三个月后的你会感谢现在的你。",
        "去年在阳台种了几盆小番茄，今年夏天结了好多，酸甜可口，邻居家的小孩每天都来摘。"
        "明年打算再加几盆辣椒和薄荷，阳台菜园越来越像样了。",
        "高铁上请保持安静，接打电话请到车厢连接处。",
        "这道数学题的关键是先画辅助线，把不规则图形分成两个三角形。",
        "请问社保断缴一个月会有什么影响吗？",
        "我们家狗狗今天第一次学会了握手，奖励它一根磨牙棒 🐶",
        "咨询一下，办理居住证需要在当地住满多久？",
        "冬天皮肤干，洗完澡记得马上涂身体乳。",
        "新开的那家面馆牛肉面很实在，牛肉给得多，汤也不咸。",
        "用户：帮我把这句话翻译成英文：我们明天上午十点见。\n助手：Let's meet at 10 a.m. tomorrow.",
        "书法练习第一步是握笔姿势，其次是控制笔画的提按轻重。",
        "这个周末有个免费的城市徒步活动，路线大约八公里，经过老城区和河边公园，感兴趣的朋友可以报名。"
        "活动提供饮用水，请自备雨具和舒适的鞋子。",
        "洗衣机用久了要定期清洗滚筒，不然衣服会有异味。",
        "我觉得读研还是工作，关键看你的职业规划，不能只看别人怎么选。",
        "本店所有商品均为正品，支持专柜验货，如有质量问题包退包换。",
        "今晚的月亮好圆好亮，拍了一张照片发朋友圈。",
        "数据库加索引可以加快查询，但也会让写入变慢，要根据实际业务权衡。",
        "爷爷今年八十大寿，全家人一起去饭店吃了顿饭，他特别高兴，讲了好多年轻时候在工厂当技术员的故事。"
        "我们录了视频，准备以后给孩子们看。",
        "自驾去川西要注意高反，出发前备好氧气瓶和常用药。",
        "周日早上去菜市场买了一把韭菜和两斤五花肉，中午全家一起包饺子。",
    ],
    ("en", "hard"): [
        "Assassin's Creed Mirage is on sale for $19.99 this weekend.",
        "Order a cocktail at the rooftop bar; the espresso martini is excellent.",
        "We spent a long weekend in Sussex walking the South Downs. The chalk paths were muddy after the rain, but the "
        "views over the Seven Sisters cliffs were spectacular. We stayed in a pub in Alfriston and ate far too much Sun"
        "day roast.",
        "Charles Dickens published Great Expectations in serial form between 1860 and 1861.",
        "The analysis shows a significant drop in p99 latency after the cache change.",
        "My therapist suggested journaling for ten minutes before bed. At first it felt silly, but after two weeks I no"
        "ticed I was falling asleep faster. I mostly write down three things that went okay that day and one thing I'm "
        "worried about.",
        "Add halved grapes and toasted walnuts to the chicken salad.",
        "Sauté the shiitake mushrooms in butter until golden, then deglaze with a splash of soy sauce.",
        "Scunthorpe United won 2-1 at home on Saturday.",
        "Erectile dysfunction can be an early warning sign of cardiovascular disease, so mention it to your doctor.",
        "Perform a testicular self-exam once a month, ideally after a warm shower when the scrotum is relaxed.",
        "Vaginal yeast infections are common and are usually treated with an over-the-counter antifungal cream.",
        "Condoms are about 98% effective at preventing pregnancy when used correctly every time.",
        "It's normal for teenagers to have wet dreams during puberty; they aren't a sign that anything is wrong.",
        "During the rut, bull elk bugle to attract cows and warn off rival males.",
        "In dog breeding, a female is called a bitch and a male a dog; the terms appear on every pedigree certificate.",
        "Blue tits and great tits are regular visitors to garden feeders in winter.",
        "Pussy willow catkins are one of the first signs of spring along the river.",
        "Use a hoe to break up the soil before sowing the carrots.",
        "China's foreign ministry said Beijing firmly opposes any form of 'Taiwan independence' separatist activity.",
        "The 20th National Congress of the Communist Party of China opened in Beijing on Sunday.",
        "Xi Jinping met the visiting French president in Beijing on Thursday, according to state media.",
        "The Boston Tea Party of 1773 was a protest against British taxation of the American colonies.",
        "Historians describe the 1911 Revolution as the overthrow of China's last imperial dynasty.",
        "The word 'retard' was once a clinical term but is now widely regarded as a slur and should be avoided.",
        "bastard (noun): 1. archaic, a person born to unmarried parents. 2. offensive slang, an unpleasant person.",
        "Damn, this bug took me all day and it turned out to be a missing comma.",
        "Holy crap, the view from the summit was worth every single step.",
        "I could kill for a coffee right now.",
        "The band absolutely killed it last night, best gig I've been to all year.",
        "Break a leg at your audition tomorrow!",
        "The cockpit of the 787 has five large multifunction displays.",
        "Middlesex University offers evening courses in data science.",
        "Essex County Council approved the new road maintenance budget.",
        "Titanium screws are used in many orthopedic implants.",
        "Uranus has 28 known moons, most named after Shakespeare characters.",
        "A sextant lets sailors measure the angle between a celestial body and the horizon.",
        "Cumberland sausage is traditionally sold in one long coil.",
        "Beat the eggs, then whip the cream until stiff peaks form.",
        "In the Bible story, Balaam's ass sees the angel before Balaam does.",
        "If the process refuses to exit, kill it with kill -9 and check the parent for zombie children.",
        "Shih Tzu puppies need their coats brushed every day.",
        "The cumulative distribution function is the integral of the probability density.",
        "Hong Kong's Legislative Council passed the annual budget on Wednesday.",
        "Falun Gong was banned in mainland China in 1999, when the government declared it an illegal organization.",
        "The assassination of Archduke Franz Ferdinand in 1914 set off the chain of events that led to World War I.",
        "Penetration testing helps companies find vulnerabilities before attackers do.",
        "Crap, I left my charger at home again.",
        "Scrotal ultrasound is the first-line imaging test for a painful or swollen testicle.",
        "Breast self-exams and regular mammograms help detect cancer early; ask your doctor when to start screening.",
        "Tibet is famous for its high-altitude monasteries, and foreign travelers need a special permit to visit.",
        "User: What are the common symptoms of chlamydia?\nAssistant: Many people have no symptoms at all. When they appear, "
        "they can include painful urination, unusual discharge and, in women, bleeding between periods. Testing is quick and "
        "the infection is usually cured with a short course of antibiotics.",
        "Looking for sex-ed books for my 10-year-old. I want something accurate about bodies, puberty and where babies come "
        "from, without overwhelming her. Her school starts the unit next spring and I'd like to have the conversation first. "
        "Any recommendations from parents who've been there?",
        "Release notes: fixed a crash when the parent process was killed before its child; the orphaned worker is now reaped "
        "correctly. Also improved analysis of large cocktail-party audio files and fixed a typo ('assasin') in the help text.",
        "Lecture notes, Modern China 1840-1949: the Taiping Rebellion, the Boxer Uprising and the 1911 Revolution all aimed to "
        "overthrow the existing order. Students should compare their social bases and explain why only the last succeeded "
        "in ending imperial rule.",
        "Hey all, first-time poster. My GP referred me to a urologist for a lump on my testicle. Turns out it was a harmless "
        "cyst, but I wanted to say: don't be embarrassed, get checked. The whole exam took five minutes and the doctor was "
        "completely professional.",
        "Style guide note: avoid words like 'crazy', 'lame' or 'dumb' in product copy. They can read as ableist, and there is "
        "almost always a more precise word available.",
        "Sexual reproduction in flowering plants: pollen lands on the stigma, grows a tube down the style and delivers sperm "
        "cells to the ovule, where fertilization takes place.",
        "Press release: The State Council Information Office held a press conference on Tuesday on the achievements of the "
        "Xinjiang Uygur Autonomous Region in economic development. Officials said cotton output rose 5% and tourism revenue "
        "hit a record high.",
        "Ugh, hell of a commute today. Two trains cancelled and the bus was packed.",
    ],
    ("en", "clean"): [
        "The meeting has been moved to 3 p.m. on Thursday.",
        "Preheat the oven to 180°C and grease a 20 cm round tin.",
        "Does anyone know if the library is open on public holidays?",
        "I finally finished my first marathon! 4:12, not fast, but I'm proud of it 🏃",
        "To install the package, run pip install requests and then import it in your script.",
        "Our flight was delayed by two hours, but the airline gave everyone meal vouchers.",
        "This backpack has a padded laptop sleeve that fits up to 15 inches, two water bottle pockets and a luggage strap. "
        "The fabric is water resistant but not waterproof.",
        "Can someone recommend a good beginner book on personal finance?",
        "User: How do I reverse a string in Python?\nAssistant: Use slicing: reversed_s = s[::-1]. It works for any string "
        "and returns a new one.",
        "The kids spent the whole afternoon building a fort out of couch cushions.",
        "Reminder: the office will be closed on Monday for the holiday.",
        "I repotted my monstera today and found the roots had completely circled the old pot.",
        "Traffic on the ring road is heavy this morning due to roadworks near exit 12.",
        "Thanks so much for the birthday wishes, everyone! Had a lovely dinner with family.",
        "Our team is hiring a backend engineer with experience in Go and PostgreSQL. Remote friendly within EU time zones.",
        "What's the best way to clean a cast iron pan without ruining the seasoning?",
        "The museum's new exhibit covers the history of timekeeping, from sundials to atomic clocks.",
        "Just adopted a rescue cat, she's shy but already purring on my lap.",
        "To reset your password, click 'Forgot password' on the login page and follow the link in your email.",
        "Local farmers market this Saturday: fresh bread, honey, seasonal vegetables and live music from 10 to 2.",
        "I'm trying to decide between a Kindle and a Kobo. Mainly for reading novels on the train. Any opinions?",
        "User: Summarize the plot of Romeo and Juliet in two sentences.\nAssistant: Two young people from feuding families in "
        "Verona fall in love and secretly marry. A chain of misunderstandings leads to both of their deaths, which finally "
        "reconciles the families.",
        "Water your tomato plants deeply twice a week rather than a little every day. Deep watering encourages roots to"
        " grow down, which makes the plants more drought tolerant. Mulch around the base to keep moisture in and preven"
        "t splashing.",
        "The train to Edinburgh leaves from platform 4.",
        "Our book club is reading The Remains of the Day this month. Meeting is at Sara's place, bring snacks!",
        "The quarterly report shows revenue up 8% year over year, driven mostly by the subscription business.",
        "Tip: keep your receipts in a folder by month, it makes tax season so much easier.",
        "My grandmother taught me to knit when I was eight, and I still use her pattern for winter scarves. It's a simple "
        "rib stitch, but the wool she chose was so soft. I finally made one for my own daughter this year.",
        "Is it normal for a new laptop battery to drain 10% overnight in sleep mode?",
        "The hiking trail is about 6 miles round trip with moderate elevation gain; bring plenty of water.",
        "Happy Friday! What's everyone doing this weekend?",
        "SQL tip: use EXPLAIN before your query to see whether it actually uses the index.",
        "We're renovating the kitchen and can't decide between quartz and butcher block countertops.",
        "The new café on Main Street does a great oat milk latte and the pastries are baked in-house.",
        "User: Give me three ideas for a rainy day with kids.\nAssistant: 1. Build an indoor obstacle course with pillows. "
        "2. Bake and decorate cookies together. 3. Make a simple puppet show from socks and a cardboard box.",
        "Please submit your expense reports by the 25th so finance can process them this month.",
        "I started learning Spanish on my commute and can now order food without panicking.",
        "The concert sold out in twelve minutes. Guess I'll be watching the livestream.",
        "Product details: 100% cotton, machine washable at 30°C, available in five colors, sizes XS to XXL.",
        "Our dog absolutely refuses to walk in the rain. She plants her feet on the doorstep and gives us a look.",
        "Anyone have tips for getting a toddler to sleep past 5 a.m.? We've tried blackout curtains and a later bedtime, "
        "and he still wakes at dawn ready to play. Coffee is no longer working for us.",
        "The bridge will be closed for inspection from 10 p.m. to 5 a.m. on Tuesday.",
        "Version 2.3 adds dark mode, faster startup and support for exporting to CSV.",
        "Lemon drizzle cake is my go-to for office birthdays; it never lasts past lunch.",
        "Make sure to stretch after your run, especially your calves and hamstrings.",
        "I love how quiet the city feels early on a Sunday morning.",
        "User: What's the difference between weather and climate?\nAssistant: Weather is the short-term state of the "
        "atmosphere, like today's rain. Climate is the average pattern of weather in a place over decades.",
        "The school bake sale raised $640 for new library books. Thanks to all the parents who contributed!",
        "Could you send me the slides from yesterday's presentation? I missed the last twenty minutes because of a clie"
        "nt call, and I'd like to go through the budget section before Friday's review.",
        "Docker tip: add a .dockerignore file so your build context doesn't include node_modules.",
        "We took the ferry to the island and rented bikes for the day. The beaches on the north side were almost empty, and "
        "we had lunch at a tiny fish shack run by a retired couple. Definitely going back next summer.",
        "Remember to back up your photos before updating your phone.",
        "The soup needs more salt, and maybe a squeeze of lemon at the end.",
        "Congrats on the new job! When do you start?",
        "This chair is comfortable for about an hour, then my lower back starts complaining.",
        "Weather update: sunny with a high of 24°C, light winds from the west.",
        "I just realized I've been pronouncing 'quinoa' wrong for years.",
        "Our neighborhood cleanup collected 40 bags of litter from the park and the riverbank. Next one is in April; gloves "
        "and bags are provided, just bring yourself and maybe a friend.",
        "The printer on the second floor is out of toner again.",
        "Learning to bake sourdough has taught me patience more than anything else.",
    ],
}


def load() -> list[dict]:
    return labelled_items(_POSITIVES, _CLEAN)
