//! Hand-written language knowledge used to refine `whatlang`'s scores.
//!
//! Everything here is written from general knowledge of the languages (published letter
//! frequency tables, grammar-book function words, spelling rules), not learnt from any
//! evaluation data. Three kinds of evidence per language:
//!
//! * **letters** — approximate frequency (in percent of letters) of each letter of the
//!   language's writing system, including letters that only appear in loanwords and names at
//!   a low rate, written `letter=percent`. A letter missing from a language's table is taken
//!   as very rare in it.
//! * **words** — the most frequent function words (articles, pronouns, prepositions,
//!   conjunctions, auxiliaries), separated by whitespace.
//! * **patterns** — spelling cues written `cue=weight`: letter groups at the start (`^`) or end
//!   (`$`) of a word, or anywhere inside it; a positive weight marks a cue typical of the
//!   language, a negative one a cue at odds with its spelling rules.
//!
//! A model may also name **proxies**: languages whose `whatlang` score stands in for its
//! own when `whatlang` cannot score it in that script (Galician, Bosnian, Nynorsk, Malay,
//! Kazakh, Serbian in Latin letters …). The hand-written evidence then has to tell it from
//! its proxies.

/// The writing systems the hand-written models cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModelScript {
    /// Latin letters.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
    /// Arabic letters (Arabic, Persian, Urdu).
    Arabic,
    /// Devanagari (Hindi, Marathi, Nepali).
    Devanagari,
}

/// What the detector knows about one language beyond `whatlang`'s trigram profile.
pub(crate) struct LangModel {
    /// ISO 639-1 code of the language.
    pub code: &'static str,
    /// Its writing system (a language written in two has two models).
    pub script: ModelScript,
    /// Letter frequencies: `letter=percent` items separated by whitespace (lowercase).
    pub letters: &'static str,
    /// Frequent function words, separated by whitespace (lowercase).
    pub words: &'static str,
    /// Spelling cues: `cue=weight` items separated by whitespace (`^` marks a word start,
    /// `$` a word end).
    pub patterns: &'static str,
    /// Vowel harmony, for languages that have it.
    pub harmony: Option<Harmony>,
    /// ISO 639-1 codes of languages whose `whatlang` score this language borrows (the best
    /// of them) when `whatlang` gives it none in this script.
    pub proxies: &'static [&'static str],
    /// What a borrowed score costs (log odds): a borrowed score is an overestimate, so a
    /// tie goes to the language `whatlang` knows. Larger for proxies that are less alike.
    pub borrow_penalty: f32,
}

/// Vowel harmony of a language (native words use only front or only back vowels).
pub(crate) struct Harmony {
    /// Front vowels.
    pub front: &'static str,
    /// Back vowels.
    pub back: &'static str,
    /// Weight of a word (of two vowels or more) whose vowels are all front or all back.
    pub agree: f32,
    /// Weight of a word mixing front and back vowels.
    pub mixed: f32,
}

/// Cost of a score borrowed from a close relative (see [`LangModel::borrow_penalty`]).
const CLOSE_PROXY_PENALTY: f32 = 0.5;
/// Cost of a score borrowed from a language that is not a close relative.
const FAR_PROXY_PENALTY: f32 = 1.0;

/// A model without vowel harmony or proxies.
const fn model(
    code: &'static str,
    script: ModelScript,
    letters: &'static str,
    words: &'static str,
    patterns: &'static str,
) -> LangModel {
    LangModel {
        code,
        script,
        letters,
        words,
        patterns,
        harmony: None,
        proxies: &[],
        borrow_penalty: 0.0,
    }
}

impl LangModel {
    /// The same model with vowel harmony.
    const fn harmony(mut self, harmony: Harmony) -> LangModel {
        self.harmony = Some(harmony);
        self
    }

    /// The same model borrowing `whatlang`'s score of `proxies`, close relatives of the
    /// language whose texts `whatlang` scores alike.
    const fn proxies(mut self, proxies: &'static [&'static str]) -> LangModel {
        self.proxies = proxies;
        self.borrow_penalty = CLOSE_PROXY_PENALTY;
        self
    }

    /// The same model borrowing `whatlang`'s score of `proxies`, languages that merely
    /// share some of its letters and sounds.
    const fn far_proxies(mut self, proxies: &'static [&'static str]) -> LangModel {
        self.proxies = proxies;
        self.borrow_penalty = FAR_PROXY_PENALTY;
        self
    }
}

/// Every language with a hand-written model.
pub(crate) static MODELS: &[LangModel] = &[
    model(
        "en",
        ModelScript::Latin,
        "e=12.7 t=9.1 a=8.2 o=7.5 i=7 n=6.7 s=6.3 h=6.1 r=6 d=4.3 l=4 c=2.8 u=2.8 m=2.4 \
         w=2.4 f=2.2 g=2 y=2 p=1.9 b=1.5 v=1 k=0.8 j=0.15 x=0.15 q=0.1 z=0.07 é=0.005",
        "the of and to a an in is it that for as was with be by on not he i this are or his \
         from at which but have has had they you were their one all we can her there been if \
         more when will would who so no she other its into only new some could than them \
         these may then do does did what about over out up also after my me him our your \
         just like how should because any such through those most where while very being \
         both each between under against during before without within upon yes said says \
         many much us am off well here why shall whose whom",
        "th=1 ^th=1 wh=1.5 ing$=2 ght=2 ough=2 igh=1 ck=0.7 ee=0.7 oo=0.7 ea=0.7 ly$=1.5 \
         ness=2 ful$=1.5 less$=1.5 ship$=1.5 ous$=1 ed$=1 sh=0.7 ay=0.7 ey=0.5 ow=0.7 aw=1 \
         ew=1 wr=1 y$=0.5 's$=1.5 n't$=2 tion=0.3 ight=1 ^wh=0.5 ^kn=1 ph=0.5 ure$=0.5 \
         ity$=1 able$=0.7 ment$=0.3 ive$=0.5 ies$=1 ck$=0.5 dge=1.5 tch=1.5 ty$=1 ry$=0.7 \
         cy$=0.7 gy$=0.7 oo=0.8 ould=1.5 ^un=0.3 wn$=1 ss$=0.5 ize=1 ization=1 ics$=1.5",
    ),
    model(
        "de",
        ModelScript::Latin,
        "e=16.4 n=9.8 i=7.6 s=7.3 r=7 a=6.5 t=6.2 d=5.1 h=4.6 u=4.2 l=3.4 c=2.7 g=3 m=2.5 \
         o=2.6 b=1.9 w=1.9 f=1.7 k=1.4 z=1.1 p=0.8 v=0.85 ü=0.65 ä=0.55 ß=0.3 ö=0.3 j=0.27 \
         y=0.04 x=0.03 q=0.02 é=0.02",
        "der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als \
         auch es an er hat aus bei sie nach wird um am noch wie einem über einen so zum war \
         haben nur oder aber vor zur bis mehr durch man sein wurde sei ich wir ihr ihm ihn \
         uns mich dich mir dir doch schon wenn dass daß weil sehr hier kann können muss \
         müssen werden wurden sind waren bin bist gibt alle immer dann jetzt heute keine \
         kein nichts was wer wo ob ohne gegen unter zwischen seit seine ihre seinen ihren \
         dieser diese dieses diesem diesen jeder jede also da denn mal einer eines vom beim \
         ins habe hatte hatten wieder gut viel viele nun nur selbst sondern wollen will soll \
         sollen damit ganz etwa bereits heißt",
        "sch=2 ch=0.7 cht=1.5 ung$=2 ungen$=2 ei=0.7 ie=0.5 tz=1.5 pf=1.5 keit=2 heit=2 \
         lich=1.5 chen$=1.5 en$=0.5 ern$=0.7 ^ge=1 ^ver=1 ^zer=1.5 ^zu=0.5 zw=1.5 eu=0.5 \
         äu=1.5 hr=1 hl=1 hn=1 ^w=0.3 ck=0.5 nd=0.3 st=0.3 ^sp=0.5 ieren$=1.5 lichen=1.5 \
         isch=1.5 schaft=2 ^z=0.5 aa=0.5 ee=0.3 eh=1 ah=0.7 uh=0.7 ih=1 oh=0.5 nn=0.3 ff=0.3 \
         ^ein=1 ^vor=0.7 ^aus=0.7 ^ab=0.3 ^an=0.2 tion=0.3 tionen$=2 ^ent=1 ^emp=1.5 dt=1.5 \
         eln$=1 ^erw=1.5 ngs$=1 ca=-0.5 co=-0.5 cu=-0.5 cl=-0.5 cr=-0.5 ct=-0.5 oo=-0.5 \
         ed$=-0.5 ^ko=0.5 ^kr=0.5 ik$=0.5",
    ),
    model(
        "fr",
        ModelScript::Latin,
        "e=14.7 s=7.9 a=7.6 i=7.5 t=7.2 n=7.1 r=6.6 u=6.3 l=5.5 o=5.8 d=3.7 c=3.3 p=3 m=3 \
         é=1.9 v=1.6 q=1.4 f=1.1 b=0.9 g=0.9 h=0.7 j=0.6 à=0.5 x=0.4 è=0.3 y=0.3 ê=0.2 z=0.3 \
         ç=0.1 ô=0.05 î=0.05 â=0.05 û=0.05 ù=0.05 ë=0.01 ï=0.01 œ=0.02 k=0.05 w=0.04",
        "le la les de des du un une et à en est que qui dans pour pas sur au aux par plus ne \
         se ce il elle ils elles nous vous je on son sa ses leur leurs avec mais ou où comme \
         été être avoir a ont sont fait cette ces cet tout tous toute toutes très bien aussi \
         y lui même sans dont entre après avant encore deux peut faire était avait ont sera \
         suis es ai as avons avez mon ma mes ton ta tes notre votre nos vos quand si non oui \
         alors donc car moi toi eux chez vers depuis sous selon contre peu ici là quel \
         quelle quels quelles",
        "eau=2 aux$=2 eux$=2 ais=1 ait$=1.5 aient$=2 oi=1 qu=0.7 ou=0.7 ent$=0.5 ette=1 \
         ille=0.5 eur$=1.5 eurs$=1.5 ique$=1.5 iques$=1.5 ^l'=1 ^d'=1.5 ^qu'=2 ^j'=2 ^n'=2 \
         ^c'=2 ^s'=1.5 ^l’=1 ^d’=1.5 ^qu’=2 ez$=0.7 er$=0.3 ^ch=0.5 gn=0.5 ain=1 ein=0.3 \
         oin=1 ien=0.5 tion=0.3 ment$=0.7 ée=1.5 és$=1 ées$=1.5 es$=0.3 ons$=1 ont$=1 \
         iez$=1.5 ^des=0.3 eil=1 ouil=1.5 ui=0.5 au=0.3 ueil=1.5 ^pr=0.2 ^re=0.2 elle=0.5 \
         ch=0.5 ier$=0.7 ande$=0.5 ue$=0.3 ^qu=0.3",
    ),
    model(
        "es",
        ModelScript::Latin,
        "e=13.7 a=12.5 o=8.7 s=8 r=6.9 n=6.7 i=6.2 d=5.9 l=5 c=4.7 t=4.6 u=3.9 m=3.2 p=2.5 \
         b=1.4 g=1 v=0.9 y=0.9 q=0.9 ó=0.8 í=0.7 h=0.7 f=0.7 z=0.5 j=0.4 á=0.5 é=0.4 ñ=0.3 \
         x=0.2 ú=0.15 ü=0.02 k=0.03 w=0.02",
        "el la los las de del y e en que a un una unos unas es por con no para se su sus al \
         lo como más pero o u le les ha han he son está están este esta esto estos estas ese \
         esa eso entre sobre también fue fueron ya muy hay sin sido ser desde todo toda \
         todos todas cuando hasta porque donde yo me mi mis nos era eran puede tiene tienen \
         dos otro otra otros él ella ellos nosotros usted ni sí qué cómo cuál quien quién \
         durante según tras aunque así tan cada mismo hace bien aquí ahora siempre nada algo",
        "ción=3 ciones=3 sión=2 ll=0.7 ^ll=2 os$=1 as$=0.7 dad$=2 dades$=2 mente$=1 ado$=1 \
         ada$=1 ados$=1.5 adas$=1.5 ido$=1 ida$=0.7 idos$=1.5 ue=0.7 ie=0.3 rr=0.7 ía=1.5 \
         ío=1 z$=0.7 ez$=1 ar$=0.7 er$=0.2 ir$=0.7 cia$=0.7 ión=1.5 ^des=0.5 ^es=0.5 ^ex=0.3 \
         ^hu=0.7 ando$=1.5 iendo$=2 aba$=1.5 aban$=2 amos$=1.5 emos$=1.5 ero$=0.7 eros$=1 \
         ano$=0.3 ncia=0.5 ja=0.7 jo=0.7 je=0.5 ^que=0.3 nue=1 ñ=1 ico$=0.5 qua=-1 quo=-1 \
         or$=0.3 sh=-1 th=-1 ck=-1 tt=-1 ss=-1 pp=-1 ff=-1 mm=-1 bb=-1 gg=-1 dd=-1 zz=-1 \
         ^st=-1.5 ^sp=-1.5 ^sc=-1.5 ^sm=-1.5 ^sl=-1.5 ^sn=-1.5 ^sv=-1.5 ^sk=-1.5 ^sw=-1.5 \
         t$=-1 k$=-1 p$=-1 m$=-1 g$=-1 b$=-1 f$=-1 h$=-1 v$=-1 w$=-1 c$=-1 nh=-1.5 lh=-1 ão=-2 ões=-2 ção=-2 \
         ny=-0.5 l·l=-3 tx=-1 ^x=-0.5 unha=-1.5",
    ),
    model(
        "it",
        ModelScript::Latin,
        "e=11.8 a=11.7 i=11.3 o=9.8 n=6.9 l=6.5 r=6.4 t=5.6 s=5 c=4.5 d=3.7 p=3.1 u=3 m=2.5 \
         v=2.1 g=1.6 h=1.5 f=1.1 z=1.2 b=0.9 q=0.5 à=0.2 è=0.3 ì=0.05 ò=0.1 ù=0.1 é=0.05 \
         k=0.05 j=0.02 w=0.03 x=0.03 y=0.05",
        "il lo la i gli le di del dello della dei degli delle da dal dallo dalla dai dagli \
         dalle in nel nello nella nei negli nelle con su sul sulla sui per tra fra un una \
         uno e ed è che non si ci ne come più ma anche se sono ha hanno era erano al alla \
         allo ai agli alle questo questa questi queste quello quella quelli suo sua suoi sue \
         loro molto già ancora solo essere stato stata fatto dopo quando perché tutto tutti \
         tutta io mi ti noi voi lui lei cosa dove così poi sempre ogni qui fa può siamo \
         siete sia mio mia nostro nostra oppure però invece",
        "zione=3 zioni=3 gli=2 zz=2 cch=2 cci=1.5 gg=1.5 tt=1 ll=0.5 chi=1 che=1 ghi=1.5 \
         ghe=1.5 ^sc=1 sci=0.7 i$=1 o$=0.5 e$=0.3 etto=1.5 etta=1.5 ato$=1 ata$=0.7 ati$=1.5 \
         ate$=0.5 ità$=2 mente$=1 uo=1.5 zia$=1 ssi=0.7 ss=0.3 ^s=0.2 ^dell'=2 ^all'=2 \
         ^nell'=2 ^un'=2 ^l'=0.7 ^dell’=2 ^all’=2 ^l’=0.7 ano$=0.7 ono$=1 are$=1 ere$=1 \
         ire$=1 ava$=1.5 evano$=2 ando$=1 endo$=1 ini$=1 oni$=1 ani$=1 ^gi=0.7 gn=0.5 pp=1 \
         bb=1 cc=0.7 mm=0.5 rr=0.3 ^qu=0.3 aio$=1.5 ione$=1.5 ioni$=1.5 ico$=0.5 cha=-1.5 \
         cho=-1.5 chu=-1.5 s$=-1.5 d$=-1 z$=-1 t$=-1 k$=-1 b$=-1 c$=-1 g$=-1 p$=-1 f$=-1 \
         m$=-1 x$=-1 y$=-1 w$=-1 h$=-1 v$=-1 j$=-1 r$=-0.5 n$=-0.3 l$=-0.3 à=-2 à$=2 è=-2 \
         è$=2 é=-2 é$=2 ì=-2 ì$=2 ò=-2 ò$=2 ù=-2 ù$=2",
    ),
    model(
        "pl",
        ModelScript::Latin,
        "a=8.9 i=8.2 o=7.8 e=7.7 z=5.6 n=5.5 r=4.7 w=4.7 s=4.3 t=4 c=4 y=3.8 k=3.5 d=3.3 \
         p=3.1 m=2.8 u=2.5 j=2.3 l=2.1 ł=1.8 b=1.5 g=1.4 ę=1.1 h=1.1 ą=1 ó=0.85 ż=0.8 ś=0.7 \
         ć=0.4 f=0.3 ń=0.2 ź=0.06 v=0.04 x=0.02 q=0.01",
        "i w z na się nie do to że jest o a jak ale co po przez od za dla tak są jego jej \
         ich ten ta te tego tej tym tych który która które którzy był była było byli być \
         może już tylko jeszcze bardzo przy pod nad także oraz lub czy gdy go mu mi ze we bo \
         też jako jednak więc aby żeby gdzie kiedy mnie mój moja nas was wam nam ja ty on \
         ona ono oni one sobie siebie tu tam teraz wszystko wszystkie każdy będzie będą \
         został została zostało można trzeba nic",
        "sz=2 cz=2 rz=2 dz=1.5 ów=2 ść=3 prz=2 wie=1.5 ie=0.5 y$=0.5 ych$=2 ymi$=2 ami$=1 \
         ach$=1 ego$=1 emu$=1.5 owy=1.5 owa=1 owe=1 ow=0.5 ^w=0.5 j$=0.5 aj=0.5 ki$=0.5 \
         ny$=0.5 na$=0.3 ^prze=1 ^nie=1.5 ^wy=1.5 ^zw=0.5 ^zn=1 ^wsp=2 wsz=2 ję=1 ią=1 ię=1 \
         kt=0.5 wi=0.5 wa=0.3 yc=1 ył=1.5 ił=1 ał=1 ać$=1.5 ić$=1.5 ość=2 ski$=1 cki$=1 \
         ska$=0.7 ją$=1 iem$=1 ym$=1 kie=0.5 ji$=1 ich$=1 kich$=1 skich$=1 ej$=1.5",
    ),
    model(
        "tr",
        ModelScript::Latin,
        "a=11.9 e=8.9 i=8.6 n=7.5 r=6.7 l=5.9 ı=5.1 k=4.7 d=4.7 m=3.8 y=3.3 u=3.2 t=3 s=3 \
         b=2.8 o=2.5 ü=1.9 ş=1.8 z=1.5 g=1.3 ç=1.2 h=1.2 ğ=1.1 v=1 c=1 ö=0.8 p=0.9 f=0.5 \
         j=0.03 â=0.05 î=0.02 û=0.02 w=0.02 x=0.02 q=0.01",
        "ve bir bu da de için ile olarak çok daha gibi en ne o ama ki mi mı mu mü her şey \
         kadar sonra olan olduğu var yok ben sen biz siz onlar şu değil ise veya hem göre \
         ancak ya diye kendi tüm bütün ilk yeni büyük bunu buna bunun onu ona onun beni bana \
         seni sana nasıl neden niçin çünkü şimdi artık hiç bile sadece zaman iki üç yıl gün \
         önce karşı arasında içinde olur oldu olarak ediyor etti benim senin bizim sizin \
         onların",
        "ler=1.5 lar=1.5 ları=2 leri=2 yor=2 mak$=1.5 mek$=1.5 lik=1 lık=2 lük=2 luk=1 dır=2 \
         dir$=1 tir$=1 sı=1 ında=2 inde=1 ında$=1 dan$=0.5 den$=0.5 tan$=0.5 ten$=0.5 \
         nın$=1.5 nin$=1 ı$=1 ini$=0.3 ını$=1.5 yı$=1.5 yi$=0.7 ye$=0.5 ya$=0.3 acak=1.5 \
         ecek=1.5 miş=2 mış=2 dı$=1.5 di$=0.5 ti$=0.3 lı$=1.5 li$=0.5 siz=1 sız=2 ^ç=0.7 \
         ^ş=1 ^ı=1 ğ=1 ay=0.3 ey=0.3 uy=0.5 ki$=0.3 ak$=0.5 ek$=0.5 iy=0.7 ıy=1 nden$=1 \
         ndan$=1 th=-1 ch=-1 sh=-1 ph=-1 ck=-1 ee=-1 oo=-1 d$=-0.5 b$=-0.5 g$=-0.5 ^st=-1 \
         ^tr=-1 ^pr=-1 ^kr=-1 ^pl=-1 ^gr=-1 ^bl=-1 ^br=-1 ^dr=-1 ^fr=-1 ^gl=-1 ^kl=-1 ^sp=-1 \
         ^sk=-1 ^sc=-1 ^sl=-1 ^sm=-1 ^sn=-1 ^sw=-1 ^sch=-1 ^str=-1 ^spr=-1 ^pf=-1 ^ps=-1 \
         ^ts=-1 ^zw=-1 ə=-3 yor=0.5",
    )
    .harmony(Harmony { front: "eiöü", back: "aıou", agree: 0.5, mixed: -1.0 }),
    model(
        "ru",
        ModelScript::Cyrillic,
        "о=10.97 е=8.45 а=8.01 и=7.35 н=6.7 т=6.26 с=5.47 р=4.73 в=4.54 л=4.4 к=3.49 м=3.21 \
         д=2.98 п=2.81 у=2.62 я=2.01 ы=1.9 ь=1.74 г=1.7 з=1.65 б=1.59 ч=1.44 й=1.21 х=0.97 \
         ж=0.94 ш=0.73 ю=0.64 ц=0.48 щ=0.36 э=0.32 ф=0.26 ъ=0.04 ё=0.1",
        "и в во не на я что он с со по это как а то все всё она так его но к ко у же вы за \
         бы от из мы о об ты было только мне еще ещё был меня нет да ее её когда уже для вот \
         если или ни быть была были этого этом эта эти этот может чтобы их они там при до \
         есть даже сам себя где тоже надо нас вас вам нам ему им них него нее неё который \
         которая которые которых более очень потому после через над под перед между без \
         также будет будут свой своей своих чем кто какой сейчас здесь",
        "ый$=2 ой$=1 ая$=1.5 яя$=1.5 ие$=1.5 ия$=1.5 ии$=1.5 ое$=1.5 ее$=1.5 ые$=1.5 ых$=1.5 \
         ым$=1.5 ого=0.3 ть$=0.7 ет$=1.5 ит$=1 ют$=1.5 ят$=1 ут$=0.7 ов$=1.5 ев$=1 ^и=2 ^э=1 \
         ение=1.5 ений=1.5 ский=2 цкий=2 ская=2 ское=2 ств=0.3 ться$=0.3 ется$=1.5 ится$=1.5 \
         ого$=0.3 его$=0.5 ему$=1 ому$=1 ся$=0.5 ись$=1 ась$=1 ось$=1 ание=1.5 ой=0.3 ие=0.5 \
         ё=1 ъ=1 ь$=0.3 ^не=0.3 ^по=0.3 ^вы=1 чт=1 ее=0.5 ож=0.3 ^о=0.3 ских$=2 ским=1.5 \
         ски=0.7 ско=0.7 ского$=2 ской$=2 ую$=1 л$=1 ила$=0.5 ела$=1 ели$=1 ел$=1",
    ),
    model(
        "uk",
        ModelScript::Cyrillic,
        "о=9.4 а=7.2 н=6.5 и=6.1 і=5.9 в=5.2 т=5 е=4.9 р=4.6 с=4.3 к=3.6 л=3.5 у=3.4 д=3.2 \
         м=3 п=2.8 я=2.3 з=2.2 ь=1.8 г=1.6 б=1.6 ч=1.3 й=1.2 х=1.1 ж=0.9 ц=0.9 ї=0.8 ш=0.8 \
         ю=0.8 є=0.6 щ=0.4 ф=0.2 ґ=0.02",
        "і й в у на не що з із зі я та він це як до а за але по його ви ми ти вона вони воно \
         бо так від при для вже ще лише тільки був була було були є немає якщо коли де також \
         чи ні їх її їй йому цей ця ці цього цієї який яка яке які якого між після через \
         може можна треба мене мені тебе тобі нас вас нам вам них ним нею нього неї свій \
         своїх своє своєї буде будуть дуже тут там тепер зараз всі все весь усі усе під над \
         перед без або однак проте навіть щоб адже саме",
        "ння$=3 ння=1 ття=2 ість$=2 ості$=2 ів$=2 ій$=1 ої$=2 ти$=1.5 ють$=2 ає$=2 ує$=2 \
         ється$=2 ються$=2 ий$=0.5 ою$=2 ею$=1 ськ=2 зьк=2 цьк=2 ці$=1 ні$=1 ми$=0.5 ли$=0.5 \
         ^й=1 '=1 ’=1 ʼ=1 ^и=-2 ї=1 є=1 ґ=1 ого$=0.3 ому$=0.5 ці=0.3 ув=0.3 ав$=0.7 ив$=0.7 \
         ла$=0.3 ^ві=1 ^від=1 ^пі=0.5 ів=0.5 ні=0.5 ти=0.3 ^як=1.5 ^що=2 лися$=2 ися$=1 \
         лося$=1.5 еться$=1.5 л$=-0.5 ^ви=0.7 лася$=1.5 ього$=1.5",
    ),
    model(
        "ar",
        ModelScript::Arabic,
        "ا=12 ل=11 ي=7 م=6 و=6 ن=5.5 ه=3.5 ر=4.5 ب=3.5 ت=4 ع=3 د=2.8 ف=2.5 ك=2.2 ة=2.5 س=2.2 \
         ق=2.2 ح=1.8 ج=1.2 أ=2.2 إ=0.7 آ=0.15 ى=0.9 ش=0.9 ص=0.9 ط=0.8 خ=0.8 ذ=0.7 ض=0.5 \
         ز=0.5 ث=0.5 غ=0.4 ظ=0.2 ئ=0.4 ؤ=0.2 ء=0.3 \u{64b}=0.2 \u{64c}=0.03 \u{64d}=0.03 \
         \u{64e}=0.3 \u{64f}=0.2 \u{650}=0.2 \u{651}=0.3 \u{652}=0.1 ـ=0.05 ٠=0.05 ١=0.05 \
         ٢=0.05 ٣=0.03 ٤=0.03 ٥=0.03 ٦=0.03 ٧=0.03 ٨=0.03 ٩=0.03 ی=0.03 ک=0.02",
        "في من على إلى الى ان أن إن عن مع هذا هذه التي الذي الذين ما لا لم لن كان كانت قد و \
         أو او ثم كل بين بعد قبل عند حتى هو هي هم نحن أنا انا أنه انه ذلك تلك غير منذ حيث \
         كما ولا وفي وقد وهو وهي به بها له لها لهم فيه فيها عليه عليها منها منه إذا اذا لكن \
         يكون تكون كانوا هناك هنا أي اي ليس أيضا ايضا عام خلال",
        "^ال=2 ^وال=2 ^بال=2 ^لل=2 ^فال=2 ^كال=2 ون$=1 ين$=1 ية$=1.5 يات$=1.5 ات$=0.3 \
         ها$=0.5 هم$=1 كم$=1.5 نا$=0.7 ^و=0.3 ^ي=0.7 ^ت=0.3 وا$=1 ة=2 ة$=0.5 ي=1 ي$=0.5 ى=1 \
         ك=1 أ=1 إ=1",
    ),
    model(
        "fa",
        ModelScript::Arabic,
        "ا=11 ی=9 ر=6.5 د=6 ن=6 م=5 و=5.5 ه=5 ت=4 ب=3.5 س=2.8 ک=3 ز=1.8 ش=2.2 ل=2.5 گ=1 ف=1 \
         خ=1.2 ع=1 ق=0.8 پ=0.9 ج=0.8 ح=0.7 چ=0.5 آ=0.8 ص=0.4 ط=0.3 غ=0.3 ض=0.15 ذ=0.2 ظ=0.15 \
         ث=0.1 ژ=0.1 ئ=0.2 أ=0.1 ء=0.1 ؤ=0.02 إ=0.02 ة=0.05 ي=0.3 ك=0.2 ى=0.03 \u{200c}=1.2 \
         \u{64b}=0.05 \u{64e}=0.02 \u{64f}=0.02 \u{650}=0.02 \u{651}=0.02 ۰=0.05 ۱=0.1 \
         ۲=0.05 ۳=0.05 ۴=0.03 ۵=0.03 ۶=0.03 ۷=0.03 ۸=0.03 ۹=0.05",
        "و در به از که این را با است آن برای یک هم تا می شد شده بود کرد ها های خود یا اما \
         نیز بر هر دو او ما من شما آنها وی پس اگر چه کند باید دارد داشت هست نیست کنند شود \
         بودند کرده بوده دیگر همه چون نه هیچ ای بین پیش روی سال کار ولی زیرا اینکه آنکه چنین \
         چند خیلی بسیار کنیم کنید شوند",
        "های=2 ها$=0.5 ^می=1.5 ^نمی=2 ند$=1 اند$=1.5 ست$=1 ترین=2 تر$=1 ی$=1 ای$=1 یی=1 \
         ان$=0.5 گی$=1.5 ش$=0.5 م$=0.3 ید$=1 یم$=1 ^ب=0.2 ^ن=0.3 ^خ=0.3 ی=2 ک=2 پ=2 چ=2 ژ=2 \
         گ=2 ه$=0.7 \u{200c}=2 ے=-2 ں=-2 ٹ=-2 ڈ=-2 ڑ=-2 ھ=-1 ہ=-1",
    ),

    model(
        "pt",
        ModelScript::Latin,
        "a=14.6 e=12.6 o=10.7 s=7.8 r=6.5 i=6.2 n=5 d=5 m=4.7 u=4.6 t=4.3 c=3.9 l=2.8 p=2.5 \
         v=1.7 g=1.3 h=1.3 q=1.2 b=1 f=1 z=0.45 j=0.4 x=0.2 ã=0.7 ç=0.5 é=0.35 ê=0.3 \
         á=0.4 í=0.15 ó=0.2 ô=0.1 õ=0.15 ú=0.1 â=0.15 à=0.05 k=0.02 w=0.02 y=0.02",
        "o a os as de do da dos das e em no na nos nas um uma uns umas que é não se por para \
         com ao à aos às pelo pela pelos pelas mas mais ou como já também muito muita \
         quando onde até sobre entre foi era ser ter tem têm há este esta isto esse essa \
         isso aquele aquela seu sua seus suas meu minha nosso nossa eu tu ele ela eles elas \
         nós vós lhe lhes me te nem sem desde depois antes ainda só todo toda todos todas \
         outro outra dois duas três ano anos são estão está estava foram fosse pode podem \
         você vocês num numa dele dela deles delas neste nesta nesse nessa isso qual quais \
         porque então assim cada mesmo sempre agora aqui muito vai",
        "ção=3 ções=3 ão=2.5 ões=2.5 ãe=2 nh=2 lh=2 ^lh=1 ç=0.5 õ=1 ã=1 ^qu=0.3 qu=0.3 \
         os$=1 as$=0.7 amos$=1 emos$=1 imos$=1 ui=0.5 oi=0.3 ^vo=0.3 \
         mente$=1 dade$=2 dades$=2 agem$=2 m$=0.7 em$=0.7 ns$=1.5 ou$=1 eu$=0.5 ei$=0.5 \
         iu$=0.7 ava$=1 avam$=2 aram$=2 eram$=2 ado$=0.7 ada$=0.7 ados$=1 adas$=1 ido$=0.7 \
         ida$=0.7 ista$=0.5 ário$=1 ária$=1 ência$=1.5 ância$=1.5 ção$=1 ^des=0.3 ss=0.5 \
         rr=0.5 ^h=0.2 ción=-3 ciones=-3 ñ=-2 ll=-1 ^ll=-1.5 ue=-0.5 ie=-0.5 ía=-0.5 \
         ció=-2 l·l=-3 ix=-0.5 ny=-1 tz=-1 ^x=-0.5 aba$=-1 aban$=-2 unha=-2 ^ch=0.3 \
         ^est=0.3 z$=-0.5 dad$=-2 ió=-1 ^el$=-1 ^los$=-2",
    ),
    model(
        "gl",
        ModelScript::Latin,
        "a=13 e=12 o=10.5 s=6.5 r=6.5 n=6.8 i=6 d=5 c=4.2 t=4.5 l=3.5 u=4 m=3 p=2.5 x=1 \
         v=1 g=1.1 b=1.1 f=0.9 q=1 h=0.6 z=0.5 ñ=0.25 á=0.5 é=0.3 í=0.4 ó=0.5 ú=0.2 \
         j=0.02 k=0.02 w=0.01 y=0.05 ü=0.01 ç=0.01",
        "o a os as de do da dos das e en no na nos nas un unha uns unhas que é non se por \
         para con ao á aos ás polo pola polos polas pero mais ou como xa tamén moito moita \
         cando onde ata sobre entre foi era ser ter ten teñen hai este esta isto ese esa \
         iso aquel aquela seu súa seus súas meu miña noso nosa eu ti el ela eles elas nós \
         vós lle lles me te nin sen desde despois antes aínda só todo toda todos todas outro \
         outra dous dúas tres ano anos son está están estaba foron fose pode poden nun nunha \
         del dela deles delas neste nesta nese nesa cal cales porque entón así cada mesmo \
         sempre agora aquí vai tamén coa co cos coas dun dunha",
        "unha=3 ción=1.5 cións=3 ñ=0.7 ^x=1.5 xa=0.7 xe=0.7 xo=0.7 xu=0.7 ^xa=0.5 ll=0.3 \
         lle=1 ^lle=1 ao$=0.7 ou$=0.7 eu$=0.5 ei$=0.7 mente$=1 dade$=2 dades$=2 ado$=0.7 \
         ada$=0.7 ados$=1 adas$=1 ido$=0.7 ida$=0.7 aba$=1 aban$=1.5 aron$=1.5 eron$=1.5 \
         iron$=1.5 ería$=1 ñá=0.5 ñe=0.5 ñ$=-1 ção=-3 ções=-3 ão=-2.5 ões=-2.5 nh=-1 ^lh=-2 \
         lh=-1.5 ç=-1 ã=-2 õ=-2 ê=-2 ô=-2 â=-2 ie=-0.5 ue=-0.5 j=-1 los$=-0.5 ^el$=-0.5 \
         ció=-2 l·l=-3 ny=-1 tz=-1 ns$=-1 m$=-1",
    )
    .proxies(&["pt", "es"]),
    model(
        "ca",
        ModelScript::Latin,
        "e=13 a=12 s=7.6 i=7 r=6.7 n=6.8 l=6.1 t=6.3 o=5 u=4 c=3.9 d=4 m=2.9 p=2.6 v=1.2 \
         g=1.3 b=1.2 q=1 f=0.9 h=0.6 x=0.5 j=0.3 y=0.2 z=0.1 à=0.8 è=0.4 é=0.5 í=0.3 ò=0.3 \
         ó=0.3 ú=0.1 ï=0.05 ü=0.03 ç=0.15 k=0.02 w=0.02",
        "el la els les de del dels i a en amb per que és un una uns unes no es va van per \
         què com més però també seu seva seus seves aquest aquesta aquests aquestes aquell \
         aquella ha han hi ho li ens us jo tu ell ella nosaltres vosaltres ells elles són \
         era eren molt molta tot tots tota totes quan on entre sobre fins després abans \
         perquè sense fer dir pot poden cap altre altra altres any anys dues dos tres ser \
         estat ja encara només mateix mateixa qual quals al als pel pels amb sobretot \
         havia hem heu he seva mai sempre ara aquí allà doncs així cada gairebé fins",
        "l·l=4 ny=1.5 ny$=1 ix=1 tx=1.5 ig$=1.5 eix=1 aix=1 ció$=1.5 cions$=2 ció=1 ments$=1 \
         ment$=0.7 tat$=1.5 tats$=1.5 ts$=0.7 ^l'=1 ^d'=1 ^s'=1 ^n'=1.5 'l$=1 'n$=1 's$=0.5 \
         ^l’=1 ^d’=1 ^s’=1 ^n’=1.5 es$=0.5 ues$=1 ues=0.3 eu$=0.5 au$=0.5 iu$=0.7 ava$=1 \
         aven$=2 ava=0.3 ària$=1 ència$=1.5 èn=0.5 àr=0.5 ò=0.5 à$=1 ssa$=0.7 ós$=0.7 \
         oses$=1 ot$=0.3 ^qu=0.3 ion$=-0.5 ción=-3 ciones=-3 ñ=-3 ão=-3 ção=-3 ões=-3 \
         ie=-0.5 ue=-0.2 os$=-0.3 as$=-0.7 ado$=-1 ados$=-1 ido$=-0.5 dad$=-2 mente$=-1 \
         nh=-1.5 lh=-1.5 ^ll=0.5 ll=0.2 aba$=-1 aban$=-2 unha=-2 ción$=-2 zz=-1 zi=-0.5 \
         nte$=-1.5",
    ),
    model(
        "ro",
        ModelScript::Latin,
        "e=11.5 i=9.8 a=9.9 r=6.8 n=6.4 t=6.1 u=5.9 c=5.2 l=4.5 s=4.3 o=4.4 ă=4.2 d=3.3 \
         p=3 m=2.9 î=1.3 ș=1.3 ț=1 ş=0.3 ţ=0.3 â=0.6 f=1.2 v=1 b=0.9 g=1 z=0.7 h=0.5 \
         j=0.2 x=0.2 k=0.05 y=0.05 w=0.03 q=0.01",
        "și şi în a la de cu pe nu se că o un ca din care mai este sunt au fost sau ce pentru \
         acest această acesta aceste acești lui ei lor el ea ele ei noi voi eu tu îi le \
         mă te ne vă să va vor fi fost fiind avea aveau are avem aveți dar iar însă sau \
         fie până după între prin spre sub peste fără despre către când unde cum cine \
         ceea cel cea cei cele tot toată toți toate foarte doar încă deja mult multe mulți \
         alt altă alte alți anul ani an acum aici acolo dacă deci astfel",
        "ă=1 ș=1.5 ş=1.5 ț=1.5 ţ=1.5 î=1.5 â=1 ului$=2.5 ilor$=2.5 urilor$=2 elor$=2 lor$=1 \
         ul$=1 ea$=0.7 ele$=0.7 ii$=1 ie$=0.5 iei$=1.5 ței$=2 ție$=2 ți$=1.5 ții$=2 ește$=2 \
         esc$=1.5 ează$=2 ată$=1 ate$=0.3 eau$=1 ^î=1 ^să$=1 ^ce=0.3 ^ş=0.5 ^ș=0.5 ^ț=0.5 \
         oa=1 ea=0.5 ia=0.3 ^re=0.3 ^pre=0.3 ^des=0.3 ^con=0.2 zione=-2 gli=-1.5 ^il$=-1 \
         ch=0.3 chi=0.5 che=0.5 ci=0.5 ce=0.3 tt=-1 ll=-0.5 zz=-1.5 ss=-0.5 cc=-0.7 gg=-1",
    ),
    model(
        "nl",
        ModelScript::Latin,
        "e=18.9 n=10 a=7.5 t=6.8 i=6.5 r=6.4 o=6.1 d=5.9 s=3.7 l=3.6 g=3.4 v=2.9 h=2.4 k=2.3 \
         m=2.2 u=2 b=1.6 p=1.6 w=1.5 j=1.5 z=1.4 c=1.2 f=0.8 x=0.04 y=0.04 q=0.01 é=0.02 \
         ë=0.05 ï=0.01 è=0.01 ü=0.005 ö=0.005",
        "de het een en van in is dat op te zijn met voor niet aan er die als ook bij door \
         maar om dan zo nog wel naar uit kan was werd worden wordt heeft hebben had hij zij \
         ze we wij ik je jij u hem haar hun ons onze mijn deze dit wat wie waar hoe omdat \
         of tot over na tegen zonder al alle geen meer veel nu hier daar toen dus moet \
         kunnen zal zullen zou zouden waren werden hadden geweest ben bent zich men iets \
         niets niemand iemand andere jaar twee drie eerste nieuwe tussen onder tijdens \
         sinds naast binnen buiten alleen echter volgens waarin waarbij daarna", "ij=2 \
         ijk=1 lijk=2 lijke=2 heid=2 heden$=2 tje$=2 tjes$=2 je$=0.7 jes$=1 oe=1 aa=1 uu=1.5 \
         ee=0.7 oo=0.7 ui=1 ou=0.5 eu=0.3 ie=0.3 sch=0.7 cht=0.5 ^ge=0.7 ^be=0.3 ^ver=0.5 \
         en$=0.5 ing$=0.3 ingen$=1.5 ië=1 ^z=0.3 ^v=0.3 ^w=0.2 kt$=0.7 ^zw=0.5 ^sch=0.5 \
         isch=0.5 aar=1 oor=1 eer=0.7 ^'s=1 's$=0.5 ^d'=-1 ß=-3 ä=-2 ö=-1 ü=-1.5 ei=0.2 \
         tz=-1.5 pf=-1.5 ^zu=-1 ung$=-1.5 keit=-2 lich=-2 ch$=-0.5 th=-0.5 wh=-1 ght=-1.5",
    ),
    model(
        "af",
        ModelScript::Latin,
        "e=16.5 a=8.5 i=7.5 n=8 s=6.5 r=6 t=5.5 o=5 d=5 l=3.5 g=4 k=3 v=2.5 m=2.5 \
         u=2 h=2 w=2 b=1.5 p=1.5 y=1 j=0.5 f=0.7 c=0.2 z=0.05 x=0.02 q=0.01 ê=0.2 ë=0.15 \
         ô=0.05 é=0.1 û=0.02 î=0.02",
        "die en van in is het nie om te n wat op met vir dat sy hy hulle ons ek jy u was \
         word sal kan moet ook maar of as by na toe deur oor al nog net baie meer so daar \
         hier wees gewees hom haar jou my julle dit hierdie daardie wie waar hoe hoekom \
         omdat want sonder tussen teen onder binne buite twee drie jaar nuwe mense ander \
         alle geen niks iets iemand gaan kom sê", "nie$=0.5 ^n$=2 ê=1 ë=0.7 ô=1 ^ge=0.7 \
         heid=1.5 lik=1 like=1 aa=0.7 ee=0.7 oo=0.7 oe=1 ui=0.7 ie=0.5 sk=0.5 ^sk=0.5 g$=0.5 \
         ^vi=0.3 ei=0.3 tjie$=2 jie$=1.5 ing$=0.3 ings$=1 ij=-2 sch=-2 uu=-1 ^z=-1 ß=-3 \
         ü=-2 ä=-2 ö=-2 tje$=-1.5",
    ),
    model(
        "da",
        ModelScript::Latin,
        "e=15.5 r=9 n=7.2 t=6.9 d=5.9 s=5.8 a=6 i=6 l=5.2 g=4.1 o=4.6 k=3.4 m=3.2 f=2.4 \
         v=2.3 u=2 b=2 p=1.75 h=1.6 æ=0.9 ø=0.95 å=1.2 j=0.7 y=0.7 c=0.55 w=0.07 x=0.03 \
         z=0.03 q=0.01 é=0.01",
        "og i at det en den til er som på de med han af for ikke der var sig har et fra jeg \
         men hun kan eller vi skal efter over ved også blev være været havde nu når hvor \
         hvad hvis meget mange alle andre deres hans hendes sin sit sine min mit mine dig \
         mig os jer dem denne dette disse kun mod under ud op ind skulle kunne ville bliver \
         blive man selv sådan da så hos uden før mellem år siden hele nogle noget ingen \
         mere end både hvordan hvorfor fordi derfor dog jo nok", "hed$=2 heden$=2 heder$=2 \
         ej=0.7 ej$=0.7 øj=2 ^hv=0.7 af$=0.3 ede$=1 ede=0.3 erne$=1.5 ene$=0.3 elig$=1 \
         lig$=0.7 lige$=1 ig$=0.5 tion=0.7 tioner$=1.5 sk$=0.3 ske$=0.5 skab=1.5 ^gø=1 \
         gt$=0.5 dt$=0.7 bt$=0.5 ^kø=0.5 øb=0.7 ^sj=-0.5 sjon=-2 kj=-1 gj=-1 øy=-2 ei=-0.5 \
         ä=-2 ö=-2 ü=-2 aa=0.3 ß=-3",
    ),
    model(
        "nb",
        ModelScript::Latin,
        "e=15 r=8.5 n=7.8 t=7.2 s=6.3 i=5.8 a=6.6 l=5.2 o=4.9 d=4 g=4 k=3.5 m=3.3 v=2.6 \
         f=1.9 u=1.7 p=1.8 h=1.8 b=1.5 ø=0.9 å=1 j=1.4 æ=0.25 y=0.8 c=0.1 w=0.05 z=0.05 \
         x=0.02 q=0.01 é=0.02",
        "og i det som en på er av for til med at den har de ikke et var jeg han hun vi dere \
         men fra så kan eller ved også når etter under seg sin sitt sine hans hennes deres \
         meg deg oss dem dette denne disse der her hva hvordan hvem hvilken nå bare mye mer \
         skulle kunne skal ble bli hadde vært være siden mot uten over gjennom mellom alle \
         andre mange noe noen slik får må vil ville kom sa sier år hele ingen både fordi \
         derfor likevel altså blant før", "het$=1.5 heten$=2 sjon=2 sjoner$=2 kj=1 skj=1 \
         gj=1.5 øy=2 ei=0.7 ei$=0.7 ^hv=0.5 av$=0.5 ene$=1 en$=0.2 et$=0.5 lig$=0.5 \
         lige$=0.3 elig$=0.7 ig$=0.3 kt$=0.5 tt$=0.5 kk$=0.5 pp$=0.5 ^kv=-0.5 ikkje=-3 \
         hed$=-2 tion=-1.5 ej=-1 øj=-2 erne$=-0.5 ede$=-0.5 ä=-2 ö=-2 ü=-2 ß=-3",
    ),
    model(
        "nn",
        ModelScript::Latin,
        "e=14 r=8 n=7.8 t=6.5 s=6 i=6.5 a=7.5 l=5 o=4.5 d=3.5 g=4.2 k=3.8 m=3.2 v=2.8 \
         f=1.8 u=1.9 p=1.6 h=1.7 b=1.4 ø=0.9 å=1 j=1.4 æ=0.2 y=0.8 c=0.1 w=0.05 z=0.05 \
         x=0.02 q=0.01 é=0.02 ò=0.05",
        "og i det som ein eit på er av for til med at den har dei ikkje var eg han ho vi me \
         de men frå så kan eller ved òg også når etter under seg sin sitt sine hans hennar \
         deira meg deg oss dette denne desse der her kva korleis kven kvar no berre mykje \
         meir skulle kunne skal vart blei bli hadde vore vere sidan mot utan over gjennom \
         mellom alle andre mange noko nokon slik får må vil ville kom sa seier år heile \
         ingen både fordi difor likevel altså blant før ikkje kvifor", "kv=2 ^kv=1.5 \
         ikkje=3 ein$=0.5 eit$=0.7 ane$=0.7 ar$=0.5 ane=0.3 ing$=0.3 inga$=2 ingar$=2 \
         leg$=1 lege$=1 sjon=1.5 kj=1 skj=1 gj=1.5 øy=2 ei=0.7 au=0.5 ^hv=-2 het$=-1 \
         heten$=-1.5 lig$=-1 elig$=-1 hed$=-2 tion=-1.5 ej=-1 øj=-2 ä=-2 ö=-2 ü=-2 ß=-3",
    )
    .proxies(&["nb", "da"]),
    model(
        "sv",
        ModelScript::Latin,
        "e=10.1 a=9.4 n=8.5 t=7.7 r=8.4 s=6.6 i=5.8 l=5.3 d=4.7 o=4.5 m=3.5 k=3.1 g=2.9 \
         v=2.4 h=2.1 f=2 u=1.9 ä=1.8 p=1.8 å=1.3 ö=1.3 b=1.5 c=1.5 j=0.6 y=0.7 x=0.16 \
         w=0.14 z=0.07 q=0.02 é=0.02",
        "och i att det som en på är av för med till den har de inte om ett var jag han hon \
         vi ni men från så kan man eller vid också när efter under sig sin sitt sina hans \
         hennes deras mig dig oss er dem detta denna dessa där här vad hur vem vilken \
         vilket vilka nu bara mycket mer skulle kunde ska blev bli hade varit vara sedan mot \
         utan över genom mellan alla andra många något några inga även år hela både eftersom \
         därför dock alltså bland innan får måste vill sade säger", "ä=1 ö=1 ^ä=0.5 ck=0.7 \
         sj=0.5 ^tj=0.5 ^hj=0.5 stj=1 skt=1 ligt$=1.5 lig$=0.7 liga$=1.5 ning$=1.5 ningen$=2 \
         ningar$=2 het$=1 heten$=1.5 arna$=2 erna$=1 orna$=2 ade$=1 ades$=1.5 ats$=1 tion=1 \
         tioner$=1.5 ^fö=1 ^gö=0.7 ^kö=0.3 ^och$=1 ^av$=0.3 ej=-0.5 ø=-3 æ=-3 ü=-2 ß=-3 \
         ^hv=-2 sjon=-1.5 øy=-2 ikke=-2 ij=-1",
    ),
    model(
        "is",
        ModelScript::Latin,
        "a=10.1 i=7.6 n=7.7 r=8.6 e=6.4 s=5.6 u=4.6 t=4.9 l=4.5 g=4.2 m=4 k=3.3 f=3 ð=4.4 \
         v=2.4 h=1.9 o=2.2 j=1.1 d=1.6 á=1.8 í=1.6 þ=1.5 b=1 y=0.9 ó=1 ö=0.8 p=0.8 æ=0.9 \
         é=0.6 ú=0.6 ý=0.2 c=0.04 x=0.05 z=0.01 w=0.01 q=0.01",
        "og í á að er sem til það með var um af en ekki við hann hún þeir þær þau ég þú þið \
         frá eftir þetta þessi þessa þar hér hvað hvernig hver eða líka þegar hefur hafði \
         verið vera mjög meira allt allir öll sínum sinn sín hans hennar þeirra mig þig \
         okkur ykkur þá svo fyrir yfir undir milli hafa voru var eru einn ein eitt tveir ár \
         árið sér sig", "þ=2 ð=2 ð$=1 ^þ=1 ur$=0.7 um$=0.7 inn$=1 ins$=1 inu$=1 ið$=1.5 \
         ar$=0.5 aði$=1.5 uðu$=2 lega$=1.5 legur$=2 ll=0.5 á=0.5 ó=0.3 æ=0.3 ö=0.3 ø=-3 \
         å=-3 ä=-2",
    )
    .far_proxies(&["da", "sv", "nb"]),
    model(
        "cs",
        ModelScript::Latin,
        "o=8.7 e=7.8 a=6.2 n=6.5 i=4.7 t=5.3 s=4.9 l=4 v=4.4 r=4 k=3.7 p=3.4 d=3.6 m=3.3 \
         u=3 z=2.2 j=2.1 y=1.9 c=1.4 h=1.3 b=1.8 í=2.8 á=2.1 é=1.3 ě=1.2 č=1 ř=1.1 š=0.7 \
         ž=0.9 ý=1 ů=0.6 ú=0.1 ň=0.1 ť=0.05 ď=0.03 ó=0.02 g=0.2 f=0.2 x=0.05 w=0.02 q=0.01",
        "a je se v na to že s z do o i k ve ze jsem jsou není byl byla bylo byli by jako ale \
         nebo pro které který která když také jeho její jejich tak jen už ještě však podle \
         při před mezi bez proti pod nad až co jak kde kdy proč tento tato toto tyto ten ta \
         ty mu mi ho jí nám vám jim my vy oni ona ono já mě tě sebe své svůj svou jsme \
         jste bude budou může mají má bych aby protože během roce let což tedy zde tam \
         nebyl není ani jsme již", "ř=1.5 ě=1.5 ů=2 ou$=1 ího$=1.5 ímu$=1.5 ých$=0.5 ými$=1 \
         ost$=0.5 ství$=2 ní$=1 ení$=1 ání$=1 ně$=1 ce$=0.3 ejší=0.5 ^př=2 ^nej=0.7 ^vy=0.5 \
         ^roz=0.5 ^z=0.3 ^ne=0.2 ä=-2 ô=-2 ľ=-2 ĺ=-2 ŕ=-2 ia$=-1 ie$=-0.7 iu$=-1 dž=-0.5 \
         ^vo$=-1 ^sa$=-1 ^sú$=-2 ^nie$=-2 ého$=0.5",
    ),
    model(
        "sk",
        ModelScript::Latin,
        "a=9.2 o=9 e=7.7 n=5.7 i=5.6 t=4.7 r=4.5 s=4.6 v=4.2 l=4 k=3.7 d=3.4 p=2.9 m=3 \
         u=2.5 j=2 z=1.9 c=1.6 y=1.6 h=2.1 b=1.6 á=2.1 í=1.6 é=0.8 ý=1 ú=0.7 č=1 š=0.8 \
         ž=0.8 ť=0.4 ľ=0.4 ň=0.2 ô=0.2 ä=0.1 ď=0.2 ĺ=0.02 ŕ=0.01 ó=0.05 g=0.2 f=0.2 x=0.05 \
         w=0.02 q=0.01",
        "a je sa v na to že s z do o i k vo zo som sú nie bol bola bolo boli by ako ale \
         alebo pre ktoré ktorý ktorá keď tiež jeho jej ich tak len už ešte však podľa pri \
         pred medzi bez proti pod nad až čo kde kedy prečo tento táto toto tieto ten tá tí \
         mu mi ho nám vám im my vy oni ona ono ja ma teba seba svoje svoj svoju sme ste \
         bude budú môže majú má aby pretože počas roku rokov teda tu tam nebol ani už sa \
         si ešte", "ä=1.5 ô=1.5 ľ=1.5 ĺ=2 ŕ=2 ia=0.5 ia$=1 ie$=0.7 ie=0.5 iu$=1 ého$=0.5 \
         ému$=1 ých$=0.5 ými$=1 ou$=0.3 osť=1.5 stvo=1 ní$=-0.3 nie$=1 enie$=1.5 anie$=1.5 \
         dz=0.7 dž=0.7 ^naj=0.7 ^vy=0.5 ^roz=0.5 ^pre=0.3 ^ne=0.2 ř=-3 ě=-3 ů=-3 ího$=-1.5 \
         ^jsem$=-2 ^jsou$=-2 ^při$=-2 ^př=-2",
    ),
    model(
        "hr",
        ModelScript::Latin,
        "a=11.5 i=9.8 o=9 e=8.5 n=6 j=5 t=4.5 r=4.9 s=4.5 u=4.2 k=3.6 l=3 v=3.4 d=3.4 m=3.3 \
         p=2.9 z=1.7 g=1.6 b=1.5 c=1 č=1 š=0.9 ž=0.7 ć=0.8 h=0.8 đ=0.15 f=0.3 x=0.01 \
         q=0.01 w=0.02 y=0.02",
        "i je u na se da za su od s sa o što ne a ali kao koji koja koje iz do po bio bila \
         bilo biti će ću ćemo ćete ćeš sam smo ste si mi ti on ona ono oni one ga mu joj im \
         ih nas vas njih njegov njezin njihov taj ta to ovaj ova ovo kada gdje kako zašto \
         tko također samo još već ili jer nego pa te ni niti prema između bez kroz nakon \
         prije tijekom godine godina tisuća te kojeg kojoj kojem svoje svoj svojim",
         "ije=1.5 ije$=0.3 ć=0.7 đ=0.3 ^tko$=2 ^što$=1 iran=1 irati$=1.5 ira$=0.7 \
         ijski=0.5 ovati$=-0.3 ^tisuć=2 ^sveučiliš=2 ^tjed=2 ^obitelj=2 ^glazb=2 ^povijes=2 \
         ^zrako=1.5 ^kruh=1.5 ^opć=1 lj=0.5 nj=0.5 ^sljed=1 ^pje=0.5 ^sje=0.5 ^dje=0.7 \
         ^vrije=1 ^mje=0.7 ^kaz=0.3 ^kolovoz=2 ^rujan=2 ^listopad=2 ^studen=2 ^prosin=2 \
         ^siječ=2 ^velja=2 ^ožuj=2 ^trav=1 ^svib=2 ^lipa=1 ^srpan=2 ^hrvat=1 ^bosan=-0.5 \
         ^histor=-1 ^hiljad=-1.5 ^opšt=-1.5 ^porodic=-1 ^univerzitet=-1 ^muzik=-1 ^ko$=-1 \
         ^šta$=-1 ^sedmic=-1 ^vreme=-2 ^deca=-2 ^dete=-2 ^reka=-1 ^mleko=-2 ^lepo=-1.5 \
         ^pesm=-1.5 ^beo=-0.5 ^dj=0.2",
    ),
    model(
        "bs",
        ModelScript::Latin,
        "a=11.5 i=9.8 o=9 e=8.5 n=6 j=5 t=4.5 r=4.9 s=4.5 u=4.2 k=3.6 l=3 v=3.4 d=3.4 m=3.3 \
         p=2.9 z=1.7 g=1.6 b=1.5 c=1 č=1 š=0.9 ž=0.7 ć=0.8 h=1 đ=0.2 f=0.3 x=0.01 q=0.01 \
         w=0.02 y=0.02",
        "i je u na se da za su od s sa o šta što ne a ali kao koji koja koje iz do po bio \
         bila bilo biti će ću ćemo ćete ćeš sam smo ste si mi ti on ona ono oni one ga mu \
         joj im ih nas vas njih njegov njen njezin njihov taj ta to ovaj ova ovo kada gdje \
         kako zašto ko također samo još već ili jer nego pa te ni niti prema između bez \
         kroz nakon prije tokom godine godina hiljada kojeg kojoj kojem svoje svoj svojim",
         "ije=1.5 ć=0.7 đ=0.3 ^ko$=1.5 ^šta$=1 ^tokom$=1.5 ^hiljad=1.5 ^histor=2 ^porodic=1 \
         ^univerzitet=1 ^muzik=0.7 ^sedmic=1 ^općin=1.5 ^opć=0.7 ^hljeb=2 ^kahv=2 \
         ^lahk=1.5 ^mehk=1.5 ^hudov=1.5 ^bosan=1 ^bošnja=1.5 ^sarajev=1 ovati$=0.7 \
         ovan=0.3 ^dje=0.5 ^vrije=0.5 ^tko$=-1.5 ^tisuć=-1.5 ^tjed=-1 ^sveučiliš=-1.5 \
         ^obitelj=-1 ^glazb=-1 ^povijes=-1 ^vreme=-2 ^deca=-2 ^dete=-2 ^mleko=-2 ^lepo=-1.5 \
         ^opšt=-1 iran=-0.3 irati$=-0.5 ^kolovoz=-1 ^rujan=-1 ^listopad=-1 ^studen=-1 \
         ^prosin=-1 ^siječ=-1 ^velja=-1 ^ožuj=-1 ^svib=-1 ^srpan=-1 ^hrvat=-0.5",
    )
    .proxies(&["hr"]),
    model(
        "sr",
        ModelScript::Latin,
        "a=11.5 i=9.8 o=9 e=9 n=6 j=4.5 t=4.5 r=4.9 s=4.5 u=4.2 k=3.6 l=3 v=3.4 d=3.4 m=3.3 \
         p=2.9 z=1.7 g=1.6 b=1.5 c=1 č=1 š=0.9 ž=0.7 ć=0.8 h=0.6 đ=0.2 f=0.3 x=0.01 q=0.01 \
         w=0.02 y=0.02",
        "i je u na se da za su od s sa o šta što ne a ali kao koji koja koje iz do po bio \
         bila bilo biti će ću ćemo ćete ćeš sam smo ste si mi ti on ona ono oni one ga mu \
         joj im ih nas vas njih njegov njen njihov taj ta to ovaj ova ovo kada gde kako \
         zašto ko takođe samo još već ili jer nego pa te ni niti prema između bez kroz \
         nakon pre tokom godine godina hiljada kojeg kojoj kojem svoje svoj svojim",
         "ć=0.7 đ=0.5 ^gde$=2 ^pre$=1 ^ko$=1 ^šta$=1 ^tokom$=1 ^takođe$=2 ^hiljad=1.5 \
         ^istorij=2 ^opšt=2 ^porodic=1 ^univerzitet=1 ^muzik=0.7 ^sedmic=0.7 ^vreme=2 \
         ^deca=2 ^dete=2 ^reka=1 ^mleko=2 ^lepo=1.5 ^pesm=1.5 ^hleb=2 ^beograd=1 ^srb=1 \
         ^sre=0.5 ovati$=0.7 ^bel=0.3 ^mes=0.5 ^ne=0.1 ije=-1 ^dje=-1.5 ^gdje$=-2 ^tko$=-2 \
         ^tisuć=-2 ^tjed=-1 ^sveučiliš=-2 ^obitelj=-1.5 ^glazb=-1.5 ^povijes=-1.5 \
         ^histor=-1 ^vrije=-2 iran=-0.3 irati$=-0.5",
    )
    .proxies(&["hr"]),
    model(
        "sl",
        ModelScript::Latin,
        "e=10.7 a=10.5 i=9 o=9 n=6.3 r=5 l=5.3 s=5 j=4.7 t=4.3 v=3.8 k=3.7 p=3.4 d=3.4 m=3.3 \
         z=1.9 u=1.9 b=1.8 g=1.6 c=0.7 č=1.5 š=1 ž=0.9 h=1 f=0.1 x=0.01 q=0.01 w=0.02 \
         y=0.02",
        "in je v na se da za so z s od pa ki ne bo bil bila bilo bili biti sem smo ste si \
         jaz ti on ona ono mi vi oni one ga mu ji jih nas vas kot tudi pri po iz do ali če \
         kaj kje kako zakaj kdo ta to tega tem že še le samo zelo lahko mora more ker \
         vendar zato med brez proti pred čez nad pod leta let bodo bomo ste sta smo njegov \
         njena njihov svoj svoje svojo tako tudi vse vsi vsak katero kateri katera katere \
         ali pa ter", "^kj=1.5 ^kje$=1 ^kdo$=1.5 ^ki$=1.5 ^pa$=0.5 ^ter$=1.5 ^lahko$=1 \
         ^zelo$=1.5 ^če$=1.5 ^tudi$=1 ^bo$=1 ^bodo$=1.5 ^sem$=0.3 ega$=1 emu$=1 ih$=0.3 \
         ov$=0.5 ev$=0.5 ija$=0.3 ški$=0.7 lj=0.3 nj=0.3 ^sk=0.3 ^slo=0.5 ć=-2.5 đ=-2.5 \
         ije=-1 ^što$=-1.5 ^šta$=-1.5 ^tko$=-1.5 ^ko$=-1 ^gdje$=-2 ^gde$=-2 ^i$=-0.5 \
         ^da$=-0.3 ^će$=-2 ^su$=-1 ^od$=-0.3 ^kao$=-2",
    ),
    model(
        "sr",
        ModelScript::Cyrillic,
        "а=11.5 о=9 е=8.5 и=9.5 н=5.5 т=4.5 р=4.8 с=4.5 ј=5 в=3.5 д=3.5 к=3.6 л=3 п=2.8 \
         м=3.2 у=4.2 з=1.6 б=1.5 г=1.6 ч=1 ш=0.8 ц=0.8 ж=0.7 ћ=0.8 ђ=0.2 љ=0.5 њ=0.6 \
         џ=0.05 х=0.6 ф=0.3",
        "и је у на се да за су од са о што шта не а али као који која које из до по био \
         била било бити ће ћу ћемо ћете ћеш сам смо сте си ми ти он она оно они оне га му \
         јој им их нас вас њих његов њен њихов тај та то овај ова ово када где како зашто \
         ко такође само још већ или јер него па те ни нити према између без кроз након пре \
         током године година хиљада којег којој којем своје свој својим", "ј=1 ћ=1.5 ђ=1.5 \
         љ=1 њ=1 џ=1 ији=0.5 ова$=0.3 ови$=0.5 ког$=0.5 ом$=0.3 ски$=0.3 ^гд=0.5 ^пре=0.5 \
         ^ре=0.2 ^из=0.3 ^хиљ=1 ^ист=0.3 ъ=-3 щ=-3 ы=-3 э=-3 ё=-3 й=-3 я=-3 ю=-3 ь=-3 \
         і=-3 ї=-3 є=-3 ќ=-3 ѓ=-3 ѕ=-3 ^во$=-1 ^со$=-1 ^се$=0.2 ^е$=-0.5",
    ),
    model(
        "bg",
        ModelScript::Cyrillic,
        "о=9.1 а=9.9 е=8.6 и=8.6 т=7 н=7.8 р=5 с=4.4 в=4.4 л=3.2 к=3.5 д=3 п=2.8 м=2.8 \
         з=1.8 я=2.2 ъ=2 у=1.3 б=1.3 г=1.5 ч=1.2 ж=0.6 ш=0.4 щ=0.6 ц=0.5 ю=0.2 х=0.8 ф=0.3 \
         й=0.6 ь=0.02 ѝ=0.02 ы=0.001 э=0.001 ё=0.001",
        "и на в да се е от за с не са по че това като към той тя то те ние вие аз ти ще би \
         бил била било били беше бяха има няма но или ако когато също така още само вече \
         всички който която което които при след преди между без до през над под един една \
         едно два години година него нея тях му ѝ им го я ги нас вас тук там защото във \
         със съм си сме сте са тази този тези какво как къде кога кой защо обаче пак \
         трябва може могат", "ът$=2 ят$=1.5 ъ=1 щ=1 ия$=1 ият$=2 ията$=2 ите$=1 ата$=0.7 \
         ото$=0.7 ето$=0.5 ета$=0.3 ове$=0.5 ища=1 ство$=0.3 ски$=0.3 ска$=0.3 ско$=0.3 \
         ^въ=0.7 ^съ=0.7 ^вс=0.2 ^пре=0.2 ^най=0.5 ^ще$=1 ал$=0.3 ил$=0.3 ах$=0.5 \
         аха$=1 яха$=1.5 ие$=0.5 ие=0.3 ы=-3 э=-3 ё=-3 і=-3 ї=-3 є=-3 ў=-3 ј=-3 ћ=-3 ђ=-3 \
         ќ=-3 ѓ=-3 љ=-3 њ=-3 ого$=-1.5 его$=-1.5 ого=-0.5 ться$=-2 ться=-1 ся$=-0.5",
    ),
    model(
        "mk",
        ModelScript::Cyrillic,
        "а=11 о=9 е=8.5 и=8 н=6 т=6.5 р=4.5 с=4.2 в=3.5 д=3.5 к=3.6 л=3 п=2.8 м=2.8 з=1.5 \
         ј=2 у=1.6 б=1.3 г=1.6 ч=0.9 ш=0.5 ц=0.4 ж=0.5 ќ=0.3 ѓ=0.2 љ=0.2 њ=0.3 ѕ=0.05 \
         џ=0.05 х=0.4 ф=0.3",
        "и на во да се е од за со не се ги го по дека тоа како кон тој таа тие ние вие јас ти \
         ќе би беше беа има нема но или ако кога исто така уште само веќе сите кој која кое \
         кои при пред меѓу без до преку над под еден една едно два години година него неа \
         нив му ѝ им ја ме те нѐ ве сум си сме сте се оваа овој овие која каде кога зошто \
         што треба може можат", "ќ=1.5 ѓ=1.5 ѕ=1.5 ј=0.5 ^во$=1 ^со$=1 от$=1 ата$=0.5 \
         ите$=1 ото$=0.7 ов$=0.3 ови=0.3 ски$=0.3 ^ќе$=1 ^најм=0.5 ^нај=0.5 ил$=0.3 ше$=0.5 \
         ја$=0.7 ија$=1 ие$=-0.5 ъ=-3 щ=-3 ы=-3 э=-3 ё=-3 й=-3 я=-3 ю=-3 ь=-3 і=-3 ї=-3 \
         є=-3 ћ=-3 ђ=-3 ў=-3 ^је$=-1",
    ),
    model(
        "be",
        ModelScript::Cyrillic,
        "а=8.5 о=6 е=5.5 і=6 н=5 р=4.5 ы=4 с=4 т=4 ў=2 л=3.5 к=3 в=3 д=3.2 м=2.8 п=2.5 \
         у=2.5 з=2 я=2.5 ц=1.6 ч=1.5 г=1.3 б=1.5 й=1.2 ь=1.5 ж=0.8 х=1 ш=0.8 э=0.8 ю=0.4 \
         ф=0.2 ё=0.5 ґ=0.01",
        "і ў на з у не што гэта да ад па для як але або калі таму ён яна яно яны мы вы я ты \
         быў была было былі будзе ёсць яго яе іх ім ёй які якая якое якія гэты гэтая \
         гэтае гэтыя той тая тое тыя таксама толькі ўжо яшчэ вельмі пры пасля перад паміж \
         без праз над пад адзін адна адно два гадоў год года яму сябе свой свая сваё свае \
         каб бо дык хто дзе калі чаму ці трэба можна", "ў=2 дз=1 дзе=0.5 цц=1 ць=1 шч=1 \
         ае$=0.5 ая$=0.3 ых$=0.3 ыя$=0.5 ага$=0.7 ая=0.3 ца$=0.3 ^ў=0.5 ^ўз=1 ^ра=0.3 \
         ^ад=0.3 ^па=0.2 рэ=0.5 чэ=1 шэ=1 жэ=1 цэ=1 ^я=0.3 ія$=0.3 ьне$=1 нне$=0.7 \
         ств=-0.3 и=-3 щ=-3 ъ=-3 ї=-3 є=-3 ј=-3 ґ=-1 ться$=-1 ого$=-1.5 его$=-1",
    ),
    model(
        "kk",
        ModelScript::Cyrillic,
        "а=12 е=7.5 ы=5 і=4 н=6 т=5.5 р=5 л=5 с=4 д=3.6 қ=2.5 к=3 ғ=1.5 б=3 м=3 й=1.5 ж=2.2 \
         з=1.8 ұ=1.5 ү=1.2 ө=1 ә=2 ң=1 у=2.5 ш=2 п=1 о=3 г=0.8 и=2.5 в=0.8 я=0.3 \
         ю=0.1 ф=0.1 х=0.2 ц=0.2 ч=0.3 щ=0.01 ъ=0.01 ь=0.2 э=0.1 ё=0.01 һ=0.05",
        "және мен бен пен да де та те бір бұл осы сол ол олар біз сіз сен үшін деп болып \
         болды бар жоқ еді ма ме ба бе жылы жыл оның олардың емес туралы бойынша сияқты \
         кейін дейін арқылы бірақ немесе ең өз өзі өте екі үш қазақ барлық тағы әрі егер \
         қандай қалай кім не неге қашан қайда мұнда онда", "ә=2 ғ=2 қ=2 ң=2 ө=2 ұ=2 ү=2 \
         һ=1 і=0.5 лар$=1 лер$=1 дар$=1 дер$=1 тар$=1 тер$=1 ның$=2 нің$=2 дың$=2 дің$=2 \
         тың$=2 тің$=2 ды$=0.5 ді$=0.5 ған$=1.5 ген$=1 қан$=1.5 кен$=1 ында$=1 інде$=1 \
         дағы$=1.5 дегі$=1.5 мен$=0.3 ў=-3 ї=-3 є=-3 ј=-3 ъ=-1 щ=-2 ого$=-1.5 его$=-1.5",
    )
    .far_proxies(&["ru", "be", "uk", "bg"]),
    model(
        "mn",
        ModelScript::Cyrillic,
        "а=10.5 э=5.5 н=6.5 р=4 г=4 л=4.5 о=5 ө=2.5 у=2.5 ү=2.5 д=3.5 х=3.5 и=4.5 й=1.5 \
         ы=1.5 с=2.5 т=2.5 б=3 ч=2 ж=1.5 м=2.5 ц=1 ш=1 е=2 ё=0.5 я=0.8 з=1 в=0.5 ь=1.5 \
         ъ=0.1 ю=0.2 п=0.2 к=0.3 ф=0.05 щ=0.01",
        "нь юм бол байна байсан гэж энэ тэр ба болон бөгөөд бас л ч биш хүн би чи та бид \
         тэд түүний манай миний гэсэн байх нэг хоёр их юу яаж хэзээ хаана гэх гээд байгаа \
         байдаг бүх зөвхөн одоо дээр доор дотор хойш өмнө", "ө=1.5 ү=1.5 ийн$=1.5 ын$=0.7 \
         ий$=0.7 аа=1 ээ=1.5 оо=1 өө=2 үү=2 уу=1 ай$=0.5 эй$=0.5 ой$=0.5 гүй$=2 ж$=0.5 \
         ч$=0.3 х$=0.7 ах$=0.7 эх$=1 ох$=0.7 өх$=1 лаа$=1.5 лээ$=1.5 ыг$=1.5 ийг$=1.5 \
         тай$=1 тэй$=1 ӊ=0.5 ә=-3 қ=-3 ғ=-3 ұ=-3 ң=-1 і=-3 ў=-3 ј=-3 щ=-2 ого$=-1.5",
    )
    .far_proxies(&["ru", "be", "uk", "bg"]),
    model(
        "hu",
        ModelScript::Latin,
        "e=10 a=9 t=7.5 l=5.8 n=5.5 s=6 k=5 r=4.5 i=4.3 o=4.5 z=4.3 m=3.5 g=3.5 á=3.5 é=3.5 \
         d=2 v=2.2 b=2 j=1.4 y=2.1 h=1.6 u=1.1 ö=1 ó=1 f=0.8 p=1 c=0.6 ő=0.9 í=0.6 ü=0.5 \
         ú=0.3 ű=0.3 x=0.02 w=0.02 q=0.01",
        "a az és hogy nem is egy meg van volt de ez azt csak már el mint még ha vagy mert \
         ki mi be fel le ami aki amely amelyek pedig ezt azt ezek azok itt ott most majd \
         nagyon minden sem lesz lett lehet kell után alatt között szerint miatt nélkül \
         felett óta én te ő mi ti ők nekem neki velem sok több első két három év évben",
        "sz=2 gy=2 ny=1.5 ly=1.5 zs=1.5 cs=1.5 ő=1.5 ű=1.5 ek$=0.5 ok$=0.5 ak$=0.5 nak$=1 \
         nek$=1 ban$=1 ben$=1 ból$=1.5 ből$=1.5 ról$=1.5 ről$=1.5 tól$=1.5 től$=1.5 val$=1 \
         vel$=1 hoz$=1 hez$=1 höz$=1.5 ság$=1.5 ség$=1.5 ás$=1 és$=0.7 ott$=1 ett$=1 \
         ött$=1.5 tt=0.3 ^meg=1 ^el=0.2 é=0.5 á=0.5",
    )
    .harmony(Harmony { front: "eéiíöőüű", back: "aáoóuú", agree: 0.3, mixed: -0.3 }),
    model(
        "fi",
        ModelScript::Latin,
        "a=12.2 i=10.8 t=8.8 n=8.8 e=8 s=7.9 l=5.8 o=5.6 k=5 u=5 ä=3.6 m=3.2 v=2.5 r=2.9 \
         j=2 h=1.8 y=1.7 p=1.8 d=1 ö=0.45 g=0.4 b=0.3 f=0.2 c=0.3 w=0.05 å=0.01 x=0.01 \
         z=0.02 q=0.01 š=0.01 ž=0.01",
        "ja on ei se että oli ovat mutta kun niin myös tai jos vain kuin sen sitä hän he me \
         te minä sinä ole olla ollut olivat joka jotka mikä mitä tämä tämän nämä ne siitä \
         sekä eli vaan jo nyt vielä aina kaikki mukaan kanssa jälkeen ennen aikana vuonna \
         vuoden yli alle noin koska siis",
        "ä=1 ö=0.7 aa=1 ii=1 uu=1 ee=0.5 yy=1 ää=1.5 kk=1 tt=1 ss=0.7 ll=0.5 pp=0.7 \
         nen$=2 sen$=1 ssa$=2 ssä$=2 sta$=1.5 stä$=1.5 lla$=1.5 llä$=1.5 lta$=1.5 ltä$=1.5 \
         lle$=1 ksi$=1.5 ään$=1.5 kin$=1 ko$=0.3 ^ei$=0.5 mme$=1 tte$=1 vat$=1 vät$=1.5 \
         uksen$=2 inen$=2 ist=0.3 ^st=-0.5 ^pr=-0.3 ^tr=-0.3 b=-0.3 c=-0.3 f=-0.3",
    )
    .harmony(Harmony { front: "äöy", back: "aou", agree: 0.3, mixed: -0.7 }),
    model(
        "et",
        ModelScript::Latin,
        "a=9.2 e=9.5 i=8.5 s=7.9 t=6.5 l=5.7 u=5 n=5.5 k=4.6 o=4.3 d=3.9 m=3.6 r=3 v=2.2 \
         g=1.6 j=1.9 h=1.7 p=1.6 õ=1.1 ä=1 ü=1 b=0.5 ö=0.2 f=0.1 c=0.1 š=0.05 ž=0.02 \
         w=0.02 z=0.05 x=0.01 y=0.05 q=0.01",
        "ja on ei see et oli ka kui ta nad me te mina sina või aga ning siis veel kõik mis \
         kes mida seda selle need nende oma juba nüüd pärast enne kuid ainult sest üle \
         alla koos järgi aasta aastal üks kaks kolm olema olnud",
        "õ=2 ä=0.7 ü=0.7 aa=1 ee=1 ii=0.7 oo=1 uu=1 õõ=1 ää=1 üü=1 ks$=0.5 se$=0.5 ga$=1 \
         le$=0.5 lt$=1 st$=0.7 ks=0.3 mine$=2 nud$=1.5 tud$=1.5 ma$=0.3 da$=0.5 vad$=1 sse$=1.5 \
         des$=1 tes$=1 ^üh=1 ssa$=-1.5 ssä$=-1.5 nen$=-1 y=-1",
    ),
    model(
        "lt",
        ModelScript::Latin,
        "i=12 a=11.5 s=8 o=6.1 r=5.4 e=5.5 t=5.6 n=5 u=4.5 k=4.3 m=3.4 l=3.3 p=2.6 v=2.3 \
         d=2.5 j=2.3 g=1.8 ė=1.6 b=1.3 y=1.5 ų=1 š=1 ž=0.9 c=0.5 č=0.4 į=0.6 ą=0.6 ū=0.5 \
         ę=0.2 z=0.1 h=0.2 f=0.2 x=0.01 w=0.01 q=0.01",
        "ir yra kad į su iš o bet kaip buvo bus tai jis ji jie mes jūs aš tu ar nuo per už \
         apie po prie be dar jau tik taip pat kuris kuri kurie kurios šis ši šie tas ta \
         tie metų metais labai visi viskas savo jo jos jų nes kai",
        "ė=1.5 ų=1.5 į=1.5 ū=1 ą=1 ę=1 as$=1 is$=1 us$=0.7 ys$=1 ai$=0.5 ių$=2 ų$=1 \
         ams$=1 oms$=1.5 ims$=1 ymas$=2 imas$=1.5 ti$=0.3 šk=0.5 ^nu=0.3 ^pa=0.2 ^iš=1 \
         ^į=1",
    ),
    model(
        "lv",
        ModelScript::Latin,
        "a=11.5 i=8.5 s=7.8 e=6 t=6 r=5 u=4.8 n=4.5 ā=4 o=3 k=3.5 l=3.7 m=3.2 p=2.5 d=2.6 \
         v=2.5 j=2.2 ē=1.8 z=1.5 ī=1.5 b=1.4 g=1.2 c=1 š=1 ū=0.5 ņ=0.5 ļ=0.3 ž=0.3 ķ=0.2 \
         č=0.3 ģ=0.1 h=0.2 f=0.2 ō=0.001 ŗ=0.001 x=0.01 w=0.01 q=0.01 y=0.01",
        "un ir ka par ar no uz kas tas tā bet arī vai jau tikai lai kā bija būs es tu viņš \
         viņa mēs jūs viņi to tad pēc pie bez līdz starp nav ne gan jo kur kad kura kurš \
         kuri šo šī šis savu sava gadā gada ļoti visi",
        "ā=1 ē=1 ī=1 ū=1 ņ=1.5 ļ=1.5 ķ=1.5 ģ=1.5 š=0.5 ž=0.5 as$=0.7 is$=0.7 us$=0.5 \
         ām$=1.5 ēm$=1.5 os$=0.3 ēja$=1.5 šan=1.5 ^ne=0.2",
    ),
    model(
        "id",
        ModelScript::Latin,
        "a=19 n=9 e=8.5 i=8.2 k=5 u=5 t=5 r=4.5 s=4 m=3.8 d=3.5 g=3.5 l=3.4 b=2.6 p=2.5 \
         h=2.4 o=2.8 y=1.5 j=1 c=0.7 w=0.5 f=0.2 v=0.2 z=0.05 x=0.02 q=0.01 é=0.01",
        "yang dan di ke dari ini itu dengan untuk pada tidak dalam akan adalah juga ada \
         sebagai oleh atau saya kami kita mereka dia ia anda bisa tersebut telah sudah \
         karena bahwa hanya lebih seperti antara setelah namun para satu dua tahun jika \
         saat maka agar masih harus banyak belum pun sangat baru kepada hingga bagi",
        "ng=1 ny=0.7 kan$=1.5 an$=0.5 nya$=2 ^ber=1 ^me=0.5 ^mem=1 ^men=1 ^meng=1 ^peng=1 \
         ^pen=0.5 ^di=0.5 ^ter=0.5 ^ke=0.3 ah$=0.5 lah$=1 kah$=1 aa=0.3 uan$=0.7 ^tid=0.5 \
         ^tel=0.3 ^sem=0.3 ^uang$=0.5 ^tidak$=0.5 ^kerana$=-2 ^bahawa$=-2 ^beliau$=-1 \
         ^sahaja$=-2 ^iaitu$=-2 ^selepas$=-1.5 ^baharu$=-1.5 ^mahu$=-1.5 ^pelbagai$=-1.5",
    ),
    model(
        "ms",
        ModelScript::Latin,
        "a=20 n=9 e=7.5 i=7.5 k=5.5 u=5.5 t=4.5 r=4.5 s=4 m=3.8 d=3.5 g=3.8 l=3.5 b=2.8 \
         p=2.4 h=2.6 o=2.5 y=1.3 j=1 c=0.6 w=0.4 f=0.2 v=0.1 z=0.05 x=0.02 q=0.01",
        "yang dan di ke dari ini itu dengan untuk pada tidak dalam akan adalah juga ada \
         sebagai oleh atau saya kami kita mereka dia ia anda boleh tersebut telah sudah \
         kerana bahawa hanya lebih seperti antara selepas namun para satu dua tahun jika \
         semasa maka agar masih perlu banyak belum pun sangat baru kepada hingga bagi \
         daripada iaitu ialah beliau manakala",
        "ng=1 ny=0.7 kan$=1.5 an$=0.5 nya$=2 ^ber=1 ^me=0.5 ^mem=1 ^men=1 ^meng=1 ^peng=1 \
         ^pen=0.5 ^di=0.5 ^ter=0.5 ah$=0.5 lah$=1 kah$=1 ^kerana$=2 ^bahawa$=2 ^boleh$=1.5 \
         ^selepas$=2 ^beliau$=2 ^iaitu$=2 ^daripada$=1 ^kerajaan$=1.5 ^wang$=1 ^kereta=1 \
         ^tidak$=0.3 ^setelah$=-1 ^karena$=-2 ^bahwa$=-2 ^bisa$=-1.5 ^uang$=-1.5 ^anda$=-0.3 \
         ^mobil$=-1.5 ^sudah$=-0.3 ^sangat$=-0.3 ^sahaja$=2 ^baharu$=2 ^mahu$=2 \
         ^pelbagai$=2 ^syarikat=2 ^jabatan$=1.5 ^negeri$=1 ^sebarang$=1.5 ^hendak=1 \
         ^akan$=0.2 ^saja$=-1.5 ^mau$=-1.5 ^berbagai$=-1.5 ^perusahaan$=-1.5 ^kok$=-2 \
         ^nggak$=-2 ^tapi$=-1 ^dong$=-2 ^aja$=-2 ^banget$=-2",
    )
    .proxies(&["id"]),
    model(
        "tl",
        ModelScript::Latin,
        "a=20 n=10 i=8.5 g=7 s=4.5 t=4.3 o=4 u=3 l=3.5 m=3.4 k=3.5 y=3.2 p=2.5 b=1.8 e=2.5 \
         r=1.5 d=1.2 h=1.5 w=0.7 c=0.3 ñ=0.05 f=0.1 j=0.1 v=0.05 z=0.05 x=0.01 q=0.01",
        "ang ng sa mga na at ay si ni kay para hindi ko mo ka siya sila kami tayo kayo ako \
         ito iyon iyan niya nila namin natin ninyo may mayroon wala pa rin din lang lamang \
         ba nang kung dahil pero o noong tungkol",
        "ng=1 ng$=1 ^mag=1.5 ^nag=1.5 ^pag=1 ^ma=0.5 ^na=0.3 ^ka=0.3 in$=0.5 an$=0.5 \
         ^mga$=2 um=0.3 ^ipi=0.5 ay$=0.5",
    ),
    model(
        "sq",
        ModelScript::Latin,
        "e=11 ë=8 i=8.5 a=7.5 r=6.5 t=7 n=6.5 s=4.5 h=4.5 u=3.5 o=4 k=3 m=3.5 j=3 p=2.5 \
         d=3.5 l=2.5 v=1.5 q=1 b=1 g=1.2 f=1.2 z=0.8 ç=0.4 y=0.7 c=0.5 x=0.1 w=0.01",
        "të e në dhe i një për me që është nga se u ka në do ku si por edhe ishte janë \
         kanë kjo ky këto ato ai ajo ata ne ju unë ti më mua atë tij saj tyre pas para \
         deri mbi nën pa vetëm shumë gjithë çdo kur nëse sepse",
        "ë=2 ë$=1 ç=1 dh=1.5 sh=0.7 th=0.5 xh=2 gj=2 nj=1 ll=0.5 rr=0.5 ^në$=1.5 ^të$=1.5 \
         ^një$=2 ^dhe$=1.5 it$=0.5 ve$=0.5 ës$=1 ët$=1 ën$=1 ^sh=0.5 ^gj=1 ^zh=1 q=0.5",
    )
    .far_proxies(&["hr", "ro", "it", "tr"]),
    model(
        "eu",
        ModelScript::Latin,
        "a=12.5 e=9.5 i=8.5 n=6.5 r=6.5 t=6.5 o=5.8 k=5.5 u=5 s=4 l=3.5 d=3 z=3 b=2.5 \
         g=2.3 x=0.6 h=0.8 m=1.2 p=0.8 j=0.3 f=0.2 ñ=0.05 c=0.3 v=0.1 y=0.05 w=0.01 q=0.01",
        "eta da ez bat du dira zen zuen baina edo ere egin izan hori hau hura horiek hauek \
         bere beren ni zu gu zuek haiek nik zuk guk oso gabe arte bezala beste dute dugu \
         dut al ba baino gero orain eta ala",
        "tz=2 tx=2 ts=1 rr=0.5 ak$=1 ko$=1 aren$=2 ren$=0.5 ean$=1.5 etan$=2 ekin$=2 \
         ari$=0.5 ra$=0.3 rik$=1.5 tik$=1.5 tzen$=2 tzea$=2 tu$=0.5 ko=0.3 ^ez$=1 \
         ^bat$=1 z$=0.7 k$=0.7 ^h=0.2 tza$=1 keta=1 gin=0.3",
    )
    .far_proxies(&["es", "id", "it"]),
    model(
        "ga",
        ModelScript::Latin,
        "a=11 i=9 h=8.5 n=7 r=6.5 e=6.5 s=5 t=4 c=3.5 l=4 o=3.5 g=3 d=3 u=2.5 m=2.5 á=2.5 \
         í=1.5 é=1 ó=1 ú=0.7 b=1.5 f=1.2 p=0.5 v=0.1 j=0.02 k=0.02 w=0.02 y=0.02 z=0.01",
        "an na agus ar a i is go le de don ag ó é í sé sí siad tá bhí níl nach mar ach ní \
         sin seo iad muid sibh mé tú bhfuil raibh leis chun faoi idir tar éis atá gur \
         go dtí ina aon dhá trí",
        "bh=2 mh=2 dh=2 gh=1.5 ch=0.7 th=0.5 fh=2 ^bhf=2 ^dt=2 ^gc=2 ^ng=1.5 ^mb=2 ^bp=2 \
         ^nd=1.5 ^ts=1 ai=0.7 ao=1.5 ea=0.7 ei=0.3 ui=0.5 ío=1 ái=1 ói=1 úi=1 éa=1 ^h-=1 \
         ^t-=1 ^n-=1 acht=1.5 íocht=2 eacht=2",
    )
    .far_proxies(&["cy", "en"]),
    model(
        "cy",
        ModelScript::Latin,
        "a=10 y=8 d=8 n=7.5 e=7 r=6.5 i=5.5 l=5 o=5 h=3 w=5.5 g=3 f=3 u=2 s=2 c=2 \
         t=2.5 b=1.5 m=2 p=1 ŵ=0.05 ŷ=0.05 â=0.2 ô=0.1 ê=0.05 î=0.05 û=0.02 j=0.05 \
         k=0.02 v=0.02 z=0.01 x=0.01 q=0.01",
        "y yr a ac i o yn ar am gan mae oedd bod wedi fel ei eu ond neu hefyd hyn hynny \
         ef hi nhw ni chi fi ti maen roedd fydd bydd dros rhwng drwy trwy heb gyda efo ym \
         yng nid na does dim",
        "dd=2 ll=1.5 ^ll=2 ff=1 ch=0.7 rh=1.5 ^rh=1 th=0.5 wy=1.5 yw=1.5 aw=1 ew=1 iw=1 \
         ŵ=2 ŷ=2 ^cy=0.5 ^gy=0.7 ^ym=1 au$=1 iau$=1.5 wn$=0.5 ydd=1.5 yn=0.3",
    ),
    model(
        "sw",
        ModelScript::Latin,
        "a=16.5 i=11 u=6 n=7.5 e=5.5 k=5 o=3.5 m=4.5 w=4 l=3.5 t=3 h=2.5 z=2.5 y=2 s=2.5 \
         r=1.5 b=1.5 g=1.2 d=1.2 j=1.2 f=1 c=0.8 p=0.8 v=0.4 q=0.01 x=0.01",
        "na ya wa kwa ni katika la za kama hiyo huo hii hizo hao yeye wao sisi mimi wewe \
         nyinyi lakini au pia kuwa alikuwa wakati baada kabla bila hadi kutoka kwenye \
         zaidi sana tu kila moja mbili tatu",
        "^wa=0.7 ^ku=1 ^ki=0.7 ^vi=0.7 ^ali=1.5 ^wali=1.5 ^ana=0.5 ^ame=0.7 ^ata=0.7 \
         ^nita=1 ^m=0.3 ^mw=1.5 ^ny=1 ^ch=0.5 ^nd=0.7 ^ng=0.7 ^mb=1 sh=0.5 wa$=0.5 \
         ni$=0.5 ji$=0.5 a$=0.3 o$=0.2",
    )
    .far_proxies(&["sn", "zu", "tl", "id"]),
    model(
        "so",
        ModelScript::Latin,
        "a=19 o=6.5 i=6 e=6.5 u=5 d=5 n=4.5 l=4.5 y=4 h=4 r=4 s=3.5 g=3.5 k=3 b=3 m=2.5 \
         w=3 q=1.5 x=1.5 c=1.5 t=1.5 f=0.8 j=1 p=0.01 v=0.01 z=0.01",
        "iyo oo ka ku ay waa in uu u ah ee la soo ugu kale waxaa wax aan ayaa ayuu hadii \
         kala lagu loo kaga markii sida mid labo sanad ama laakiin",
        "aa=1.5 oo=1.5 ee=1 ii=1 uu=1 dh=1 sh=0.5 kh=1 x=0.7 q=0.5 c=0.5 ^wax=1.5 \
         ^way=1 ^ay=0.5 yey$=1 yay$=1 ka$=0.3 da$=0.3 ta$=0.3 ay$=0.5",
    )
    .far_proxies(&["tl", "id", "sn"]),
    model(
        "yo",
        ModelScript::Latin,
        "a=8 i=7 o=5 e=4.5 n=6 \u{300}=1.5 \u{301}=1.5 à=3 á=3 è=1 é=1 ì=2 í=2 ò=1.5 ó=1.5 ù=1 ú=1 ẹ=3 ọ=3.5 \
         ṣ=1.5 k=3.5 l=3.5 r=3 t=3 w=3 y=3 b=2.5 g=2.5 j=2 s=2 m=2 f=1.5 d=1.5 \
         p=1 h=0.8 u=1.5 ń=0.5",
        "ni ti si ati o wọn a mo ko fun pe lati ẹ awọn ninu jẹ ki ba lo yi bi sugbon tabi \
         naa kan wa nigba",
        "ẹ=2 ọ=2 ṣ=2 gb=1.5 \u{300}=1 \u{301}=1 ^ọ=1 ^ẹ=1 ^ì=0.5 ^à=0.5",
    )
    .far_proxies(&["vi", "sn", "zu"]),
    model(
        "zu",
        ModelScript::Latin,
        "a=13 e=8.5 i=8 u=6 n=7.5 o=4.5 l=5 k=5.5 s=4 h=4 b=3 w=3 g=2.5 z=2.5 m=3 y=2 \
         t=2 d=1.8 f=1 p=1 q=0.5 c=0.5 j=0.4 v=0.4 x=0.3 r=0.1",
        "ukuthi futhi kodwa noma ngoba uma kanye lapho kakhulu ngemva ngaphambi ukuba \
         wena mina yena thina bona lokhu lokho kule kulo ngesikhathi",
        "hl=1.5 ^ng=0.7 ^nga=0.7 ^uku=1.5 ^aba=1 ^ama=1 ^isi=1 ^izi=1 ^ezi=0.5 ^kwa=0.7 \
         ^nge=0.5 ^ngo=0.5 ^lo=0.3 ^ku=0.5 kh=0.5 ph=0.5 th=0.5 ^u=0.3 ^i=0.3 ^e=0.2 \
         ile$=1 ana$=0.3 wa$=0.3 ^zi=0.3",
    ),
    model(
        "xh",
        ModelScript::Latin,
        "a=14 e=8.5 i=7 u=5 n=7 o=5 l=4.5 k=5.5 s=3.5 h=3.5 b=3.5 w=3 g=2.5 z=2.5 m=2.5 \
         y=2.5 t=2.5 d=1.5 f=1 p=0.7 q=1 c=0.8 x=0.8 j=0.4 v=0.5 r=0.6",
        "ukuba kwaye kodwa okanye ngenxa xa apho kakhulu emva phambi wena mna yena thina \
         bona le lo oku oko kule kulo ngexesha nokuba ngoko",
        "xa=1 xe=0.7 xo=0.7 xh=0.5 ^kwa=0.7 ^uku=1 ^aba=1 ^ama=1 ^isi=1 ^izi=1 ^nge=0.5 \
         ^ngo=0.5 ^ku=0.5 ^kwi=1 ^kwe=1 ^e=0.3 ^o=0.3 ile$=0.7 iwe$=0.5 ^nok=0.7 ^nom=0.5 \
         hl=0.5 q=0.5 ^ukuthi$=-1 ^futhi$=-2 ^noma$=-1.5 ^lapho$=-1.5 ^uma$=-1.5",
    )
    .proxies(&["zu"]),
    model(
        "st",
        ModelScript::Latin,
        "a=13 e=11 o=10 l=7 h=6 i=5 s=4.5 t=5 n=5 u=3 k=3.5 b=3 m=3 g=2 f=1.5 r=2 \
         d=0.5 p=1.5 w=1 y=0.5 j=0.5 c=0.2 q=0.1 x=0.05 v=0.05 z=0.05",
        "le ho ka ea ba a o e ya sa tsa la ke hore empa kapa hobane haeba moo hape ha bona \
         yena rona lona bo ho ne ntse feela",
        "^ho$=1 ^ea$=1.5 ^ka$=0.3 ^tsa$=1 ^tse$=1 ^ts=0.5 ^hl=0.5 tlh=2 ^mo=0.5 ^ba=0.3 \
         ^le$=0.3 ^hore$=2 ng$=0.5 ile$=0.5 ^o$=0.3 ^e$=0.3 oa$=1 ^oa=0.5",
    )
    .far_proxies(&["sn", "zu", "tl"]),
    model(
        "sn",
        ModelScript::Latin,
        "a=17 e=6 i=8 u=7 o=6 n=6 r=5 k=4.5 w=4 d=3.5 z=3 h=3.5 m=3.5 t=3 v=2.5 y=2 s=2.5 \
         g=2 c=1.5 b=1.5 p=1 j=0.5 f=0.3 l=0.2 q=0.01 x=0.01",
        "ne uye kuti asi kana uko vanhu zvakare zvino saka nokuti pane iye isu imi ivo \
         ndiyo ndiye aive vakanga kwete",
        "zv=2 ^zv=1.5 sv=1.5 dz=0.7 ^ku=0.5 ^va=0.7 ^ch=0.5 ^nd=0.7 ^ne=0.3 ^mu=0.5 \
         ^ka=0.3 a$=0.3 ^ano=0.5 nhu=1 ^kw=0.3 ^zvi=1 ^zva=1",
    ),
    model(
        "eo",
        ModelScript::Latin,
        "a=12 e=9 i=10 o=8.7 n=7.9 l=6 s=6 r=5.9 t=5.3 k=4.2 j=3.5 u=3.2 d=3 m=3 p=2.7 \
         v=1.9 g=1.2 f=1 c=1 b=1 z=0.5 ĝ=0.7 ĉ=0.5 ŝ=0.4 ĵ=0.05 ĥ=0.02 ŭ=0.6 h=0.4 \
         x=0.01 w=0.01 q=0.01 y=0.01",
        "la kaj de en estas al la ne por ke kun sed ĉe el da pri tiu tio tiuj kiu kio \
         kiuj li ŝi ili ni vi mi oni sia sian siaj estis estos povas ankaŭ nur jam tre \
         post antaŭ inter sen ĉiu ĉio",
        "ĉ=2 ĝ=2 ŝ=2 ĵ=2 ŭ=2 ĥ=2 aj$=1.5 ojn$=2 ajn$=2 oj$=1.5 on$=0.5 as$=0.5 is$=0.5 \
         os$=0.5 ado$=0.5 ec$=1 ^mal=0.7 ^ĉi=1 eco$=1 ilo$=1 ejo$=1",
    ),
    model(
        "la",
        ModelScript::Latin,
        "e=11.5 i=11 a=8.5 u=8.5 t=8 s=7.5 r=6.7 n=6.2 o=5.5 m=5 c=3.3 l=3 p=2.8 d=2.7 \
         q=1.5 b=1.5 g=1.2 v=1 f=0.9 h=0.7 x=0.6 y=0.05 z=0.02 k=0.01 j=0.1 w=0.01",
        "et in est non ad cum ut quod qui quae de sed a ab ex e per si enim esse sunt erat \
         autem etiam quam hoc haec nec ne vel atque ac eius sibi se eo ea id ille illa \
         ipse nos vos ego tu inter post ante sine pro sub super propter quia tamen",
        "us$=1 um$=1 ae$=1 am$=0.5 em$=0.5 is$=0.5 orum$=2 arum$=2 ibus$=2 tur$=1.5 \
         ntur$=2 unt$=1.5 erunt$=2 itur$=1.5 que$=1 ^qu=0.5 ii$=0.5 io$=0.3 tio$=1 \
         tionem$=1.5 x$=0.5",
    ),
    model(
        "az",
        ModelScript::Latin,
        "a=11 ə=8 i=7 ı=5 l=6 r=6.5 n=6 e=2.5 d=4.5 m=4 s=3.5 t=3.5 k=3.5 y=3.5 b=2.5 \
         u=3 o=2.5 ü=1.8 ö=0.8 q=1.5 g=1.2 ğ=1 ş=1.8 ç=1.2 z=2 v=1.5 h=1.5 x=1.2 c=1 p=0.7 \
         f=0.5 j=0.1 w=0.01",
        "və bu ki da də ilə bir üçün olan olaraq amma lakin hər çox daha ən isə o onun \
         onlar biz siz mən sən belə həm deyil var yox kimi sonra əvvəl il ildə ya idi olub \
         olunur edir edən etdi görə qədər bütün yalnız artıq hansı necə niyə harada onu \
         ona onda bunu buna bunlar həmin özü öz iki üç yeni",
        "ə=2 x=0.5 q=0.5 lar$=0.7 lər$=1.5 dır$=1 dir$=1 ndə$=1.5 nda$=0.7 dan$=0.5 \
         dən$=1.5 ün$=0.5 nın$=0.7 nin$=0.7 ^ə=1 w=-1 maq$=2 mək$=2 \
         yor=-2 mak$=-1 mek$=-1 ğı=0.3 ıb$=1 ib$=0.7 ub$=1 üb$=1 lar=1.5 lər=2 ları=2 \
         ləri=2 lıq=2 lik=1 luq=2 lük=2 dır=2 dir$=1 dur$=1 dür$=1 sı=1 ında=2 ində=2 \
         ı$=1 ını=1.5 yı$=1.5 acaq=2 əcək=2 mış=2 miş=1.5 dı$=1.5 di$=0.5 lı$=1.5 li$=0.5 \
         sız=2 siz=1 ^ç=0.7 ^ş=1 ^ı=1 ğ=1 q$=1 x$=0.7 ay=0.3 ey=0.3 th=-1 ch=-1 sh=-1 \
         ck=-1 ee=-1 oo=-1 ^st=-1 ^tr=-1 ^pr=-1 ^kr=-1 ^pl=-1 ^gr=-1 ^bl=-1 ^br=-1 ^dr=-1 \
         ^fr=-1 ^sp=-1 ^sk=-1",
    )
    .harmony(Harmony { front: "eəiöü", back: "aıou", agree: 0.5, mixed: -1.0 }),
    model(
        "vi",
        ModelScript::Latin,
        "n=9 h=8 t=6.5 c=6 i=5 g=5 a=4 o=3.5 u=3 m=3 đ=2 à=2 á=1.5 ạ=1 ả=0.7 ã=0.3 ă=1 \
         â=1.5 ấ=1 ầ=1 ẩ=0.3 ẫ=0.2 ậ=1 ắ=0.5 ằ=0.3 ặ=0.5 e=1.5 è=0.3 é=0.3 ẹ=0.1 ẻ=0.1 \
         ê=1.5 ế=1.5 ề=1 ể=0.7 ễ=0.2 ệ=1 ì=0.2 í=0.3 ị=0.7 ỉ=0.2 ò=0.3 ó=0.5 ọ=0.5 ỏ=0.2 \
         ô=1.5 ố=0.7 ồ=0.7 ổ=0.3 ỗ=0.2 ộ=1 ơ=1 ớ=0.7 ờ=0.7 ở=0.7 ỡ=0.1 ợ=0.5 ù=0.3 \
         ú=0.3 ụ=0.5 ủ=0.5 ư=1.5 ứ=0.5 ừ=0.5 ử=0.3 ữ=0.5 ự=0.7 y=1.5 ý=0.2 ỳ=0.1 ỵ=0.05 \
         ỷ=0.05 l=2.5 k=1 b=1.5 d=1.2 r=1.5 s=1.5 v=1.5 x=0.7 q=0.5 p=0.5 f=0.01 j=0.01 \
         w=0.01 z=0.01",
        "và của có là các trong được cho với không những một người này đã để khi đến về từ \
         như cũng thì sẽ tại theo năm",
        "ng$=0.5 nh$=0.5 ch$=0.5 ư=1 ơ=1 đ=1 ^ngh=1 ^tr=0.3 ^th=0.3",
    ),
    model(
        "ur",
        ModelScript::Arabic,
        "ا=10 ی=8 ے=4.5 ک=4.5 ر=5 ن=5 ہ=4 و=5 م=4 ت=3.5 س=3 ل=3 د=2.5 ب=3 پ=1 ج=1.5 ق=1 \
         ع=1 ف=0.8 ش=1 ز=0.8 گ=1.5 ھ=1.5 ٹ=0.7 ڈ=0.4 ڑ=0.4 ں=1.5 چ=0.7 خ=0.7 ح=0.8 غ=0.2 \
         ص=0.4 ط=0.3 ظ=0.1 ض=0.1 ث=0.1 ذ=0.1 ژ=0.01 آ=0.4 ئ=0.6 ء=0.1 ۓ=0.05 ؤ=0.02 \
         أ=0.01 ي=0.05 ك=0.02 ة=0.01",
        "کے کی کا ہے میں اور کو سے نے پر یہ وہ ہیں تھا تھی تھے کہ بھی ایک گیا کر کیا ہو جو \
         اس ان لیے لئے تو نہیں ہوا ہوئے رہا رہے کرنے کرتے گے گی ساتھ بعد پہلے اپنے اپنی \
         جس جن کسی کچھ سب بہت اب تک یا لیکن مگر",
        "ی=2 ک=2 پ=2 چ=2 گ=2 ے=2 ں=2 ٹ=2 ڈ=2 ڑ=2 ھ=1.5 ہ=1 ے$=1 وں$=1.5 یں$=1 ئے$=1.5 ہے$=1 ۓ=1 ^ال=-0.5 \
         ة=-2 ى=-1 ي=-1 ك=-1 \u{200c}=-1",
    ),
    model(
        "hi",
        ModelScript::Devanagari,
        "",
        "है हैं का की के में और को से ने पर यह वह था थी थे कि भी एक गया कर किया हो जो इस उस \
         उन लिए तो नहीं हुआ हुए रहा रहे करने करते गई गए साथ बाद पहले अपने अपनी जिस जब \
         कुछ सब बहुत अब तक या लेकिन मगर हम आप मैं तुम",
        "ं=0.3 ों$=1 ें$=0.5 ने$=0.3 ता$=0.5 ती$=0.5 ते$=0.5 ळ=-2 ञ=-0.3 ॅ=-0.5 ॉ=0.3",
    ),
    model(
        "mr",
        ModelScript::Devanagari,
        "",
        "आहे आहेत व आणि या हा ही हे ते तो ती त्या त्याच्या त्यांच्या मध्ये केले केली केला \
         होते होता होती करण्यात नाही म्हणून किंवा पण एक सर्व काही असे असा अशी आता तर \
         मी तू आम्ही तुम्ही आपण त्यांनी त्याने झाले झाला झाली",
        "ळ=2 चा$=1.5 ची$=1.5 चे$=1.5 च्या$=2 ला$=0.5 ना$=0.3 ने$=0.3 ात$=1 ांनी$=2 \
         ण्य=1 ल्या=1 ले$=0.7 ली$=0.5 ऱ=1 ॅ=0.3 ॉ=0.3",
    ),
    model(
        "ne",
        ModelScript::Devanagari,
        "",
        "छ छन् हो र को का की मा ले लाई पनि यो त्यो यी ती गर्न गरेको भएको थियो थिए हुन्छ \
         हुने गरे गरी र तथा वा भने एक सबै केही अहिले म हामी तपाईं उनी उनको उहाँ",
        "्छ$=2 ्न$=1 ेको$=1.5 ाको$=1 ्यो$=1 लाई$=2 हरू$=2 हरु$=2 ँ=0.5 ळ=-2",
    ),
];
