// Signs of an emergency in what someone writes, drawn from the published danger signs in pregnancy, after
// pregnancy loss and during fertility treatment (NHS "pregnancy warning signs", RCOG patient leaflets on
// OHSS, ectopic pregnancy and blood clots, ACOG's urgent maternal warning signs). A match shows guidance
// before the post is sent (never blocks it) and puts the post first in the moderation queue, tagged "urgent".
// The same module runs in the browser, bundled by esbuild (see asset.ts).

export type EmergencyKind =
  | "bleeding"
  | "pain"
  | "ectopic"
  | "fainting"
  | "fever"
  | "preEclampsia"
  | "fetalMovement"
  | "waters"
  | "clot"
  | "anaphylaxis"
  | "overdose"
  | "ohss"
  | "selfHarm";

export interface EmergencyRule {
  kind: EmergencyKind;
  /** A case-insensitive regular expression source, matched within one sentence. */
  pattern: string;
}

const r = (kind: EmergencyKind, pattern: string): EmergencyRule => ({ kind, pattern });
const BODY = String.raw`(?:belly|stomach|tummy|abdomen|abdo|tum)`;
const PADS = String.raw`(?:pads?|towels?|sanitary\s+towels?|maxi\s+pads?|tampons?|knickers|underwear|clothes|jeans|sheets|bed)`;

export const EMERGENCY_RULES: EmergencyRule[] = [
  r(
    "bleeding",
    String.raw`\b(?:heavy|heavily|lots\s+of|a\s+lot\s+of|so\s+much|loads\s+of|gushing|pouring|huge|large|massive|torrential|profuse(?:ly)?)\b[^.!?\n]{0,30}\b(?:bleed\w*|blood|clots?)\b`,
  ),
  r(
    "bleeding",
    String.raw`\b(?:bleed\w*|blood)\b[^.!?\n]{0,30}\b(?:heavily|a\s+lot|won'?t\s+stop|isn'?t\s+stopping|not\s+stopping|keeps?\s+coming|through\s+(?:a|my|the|\d+)\s+${PADS}|so\s+(?:heavy|much|fast|bad)|really\s+heavy|very\s+heavy)\b`,
  ),
  r(
    "bleeding",
    String.raw`\b(?:ha?emorrhag\w*|a\s+pad\s+(?:every|an|each)\s+(?:hour|half\s+hour|\d+\s+min\w*)|pads?\s+an\s+hour|soak(?:ing|ed|s)?\s+(?:through\s+)?(?:a|my|the|\d+|two|three|several)?\s*(?:\w+\s+)?${PADS}|fill(?:ing|ed|s)?\s+(?:up\s+)?(?:a|my|the|\d+|two|three)\s+(?:whole\s+)?(?:\w+\s+)?${PADS}\s+(?:in|every|within)\b|bled\s+through|pads?\s+(?:is\s+|was\s+)?soaked\s+(?:through\s+)?(?:in|within)\s+(?:\d+|an?|half)|(?:way|much|so\s+much|a\s+lot|far)\s+heavier)\b`,
  ),
  r(
    "bleeding",
    String.raw`\bclots?\b[^.!?\n]{0,30}\b(?:won'?t\s+stop|keep\s+coming|keeps?\s+coming|not\s+stopping|size\s+of|as\s+big\s+as|bigger\s+than|golf\s*ball|plum|lemon|fist|egg)\b`,
  ),
  r(
    "bleeding",
    String.raw`\b(?:bleeding|bled)\s+through\s+(?:everything|it\s+all|my\s+\w+|two|both)|\b(?:chang\w+|soak\w*|fill\w*|through)\s+(?:a\s+|my\s+|the\s+)?(?:\w+\s+)?pads?\s+every\s+(?:\d+|few|couple\s+of|fifteen|ten|twenty|thirty)?\s*(?:min\w*|hour|half)`,
  ),
  r("bleeding", String.raw`\b(?:passing|passed|pass)\s+(?:big|large|huge|massive|lots\s+of|loads\s+of)\s+(?:blood\s+)?clots\b`),
  r("bleeding", String.raw`\bblood\s+(?:is\s+|keeps\s+)?(?:running|pouring|gushing|dripping|flooding|coming)\s+(?:down|out)\b`),
  r(
    "ectopic",
    String.raw`\b(?:shoulder[-\s]tip\s+pain|pain\s+(?:in|at)\s+(?:the\s+tip\s+of\s+)?my\s+shoulder(?:\s+tip)?|shoulder\s+tip\b[^.!?\n]{0,20}\b(?:pain|hurts|aching))`,
  ),
  r(
    "ectopic",
    String.raw`\b(?:one[-\s]sided|(?:left|right)[-\s]sided)\s+pain\b[^.!?\n]{0,60}\b(?:positive|pregnan\w*|hcg|bleed\w*|spotting|shoulder)`,
  ),
  r(
    "ectopic",
    String.raw`\b(?:(?:bfp|positive|pregnan\w*|hcg|beta|\d\+\d|\d+\s*weeks)\b[^.!?\n]*\b(?:pain|cramp\w*|stabbing)\b[^.!?\n]{0,30}\b(?:on|in)\s+(?:the\s+|my\s+)?(?:left|right|one)(?:\s+side)?|(?:one|left|right)[-\s]sided\s+(?:\w+\s+)?(?:pain|cramp\w*)\b[^.!?\n]*\b(?:bfp|positive|pregnan\w*|hcg|beta|\d\+\d|\d+\s*weeks)|(?:bfp|positive|pregnan\w*|hcg|beta|\d\+\d|weeks)\b[^.!?\n]*\bshoulder\s+(?:hurts|pain|aches?|is\s+(?:hurting|killing))|\bshoulder\s+(?:hurts|pain|aches?)\b[^.!?\n]{0,30}\b(?:lie|lying)\s+down)`,
  ),
  r(
    "pain",
    String.raw`\b(?:severe|sharp|stabbing|unbearable|excruciating|intense|extreme|agonising|agonizing|terrible|horrendous|crippling|awful|worst|really\s+bad|so\s+much)\b[^.!?\n]{0,30}\b(?:pain|cramp\w*|ache)\b`,
  ),
  r(
    "pain",
    String.raw`\b(?:pain|cramp\w*)\b[^.!?\n]{0,20}\b(?:is|are|so|getting|keeps?\s+getting)\b[^.!?\n]{0,10}\b(?:severe|unbearable|excruciating|worse\s+and\s+worse|10\/10|ten\s+out\s+of\s+ten)\b`,
  ),
  r(
    "pain",
    String.raw`\b(?:doubled\s+over|can'?t\s+(?:stand|walk|move|stand\s+up|straighten\s+up)\b[^.!?\n]{0,20}\bpain|pain\b[^.!?\n]{0,30}\bcan'?t\s+(?:stand|walk|move))`,
  ),
  r(
    "fainting",
    String.raw`(?<!\b(?:could|would|might)\s+(?:\w+\s+)?)\b(?:faint(?:ed|ing)?|passed\s+out|passing\s+out|pass\s+out|blacked\s+out|blacking\s+out|lost\s+consciousness|collapsed?|collapsing|keeled\s+over)\b`,
  ),
  r(
    "fever",
    String.raw`\b(?:high|very\s+high|raging|spiking)\s+(?:fever|temperature|temp)\b|\b(?:fever|rigors|shaking\s+chills)\b[^.!?\n]{0,20}\b(?:and|with)\s+(?:chills|shivering|shaking|smelly|foul)`,
  ),
  r(
    "fever",
    String.raw`\b(?:fever|temperature|temp)\b[^.!?\n]{0,20}?\b(?:3[89](?:\.\d)?|4[0-2](?:\.\d)?|10[0-6](?:\.\d)?)\s?°?\s?(?:c|f)?\b`,
  ),
  r("fever", String.raw`\b(?:running|got|have|with)\s+a\s+(?:fever|temperature)\b|\b(?:feverish|febrile|burning\s+up)\b`),
  r(
    "fever",
    String.raw`\b(?:3[89](?:\.\d)?|4[0-2](?:\.\d)?|10[0-6](?:\.\d)?)\s?(?:°\s?)?(?:c|f|degrees?)?\s+(?:temp|temperature|fever)\b|\b(?:hot\s+and\s+cold|shivering|shaking|chills|rigors)\b[^.!?\n]{0,60}\b(?:after|since|post)\s+(?:my\s+|the\s+)?(?:egg\s+)?(?:collection|retrieval|ec|erpc|d\s?&\s?c|op|operation|procedure|surgery|hysteroscopy|lap\w*|miscarriage|transfer|section|birth)`,
  ),
  r(
    "preEclampsia",
    String.raw`\b(?:severe|bad|terrible|pounding|splitting|awful|horrendous|worst|blinding|constant|thumping)\s+(?:\w+\s+)?headaches?\b|\bheadaches?\b[^.!?\n]{0,12}\b(?:so|really|very)\s+(?:bad|severe|painful|strong)\b|\bheadaches?\b[^.!?\n]{0,30}\b(?:won'?t\s+(?:go|shift|budge|ease)|can'?t\s+shift|isn'?t\s+going|not\s+going\s+away|doesn'?t\s+go|for\s+(?:two|three|\d+)\s+days|paracetamol\s+(?:isn'?t|doesn'?t|not)\s+(?:helping|working|touching))`,
  ),
  r(
    "preEclampsia",
    String.raw`\b(?:blurr(?:ed|y|ing)\s+vision|vision\s+(?:is|has\s+gone|went|keeps\s+going|going)\s+(?:\w+\s+)?(?:blurr\w*|funny|fuzzy|weird|dark)|flash(?:ing|es)\s+(?:of\s+)?lights?|seeing\s+(?:spots|stars|flash\w*|sparkles|zig-?zags?|double|things)|zig-?zags?\s+(?:in|across)\s+my|spots\s+(?:in|before)\s+my\s+eyes)\b`,
  ),
  r(
    "preEclampsia",
    String.raw`\b(?:sudden(?:ly)?|really|very|massively)\s+(?:\w+\s+)?(?:swelling|swollen|puffy|puffed\s+up)\b|\b(?:face|hands|fingers|eyes|eyelids)\b[^.!?\n]{0,25}\b(?:swollen|swelling|swelled|puffy|puffed\s+up)\b|\b(?:swollen|swelling\s+(?:of|in)\s+(?:my\s+)?)\s*(?:face|hands|fingers)\b`,
  ),
  r(
    "preEclampsia",
    String.raw`\b(?:pre-?eclampsia|blood\s+pressure\s+(?:is|was|of|at)?\s*(?:1[5-9]\d|2\d\d)\s*\/\s*\d{2,3}|bp\s+(?:is|of|at|was)?\s*(?:1[5-9]\d|2\d\d)\s*\/\s*\d{2,3}|pain\s+(?:just\s+)?(?:under|below)\s+my\s+ribs)\b`,
  ),
  r(
    "fetalMovement",
    String.raw`\b(?:baby|bub|bubba|little\s+one|he|she)(?:(?:'s|\s+is|\s+has)?\s+(?:not|stopped|barely|hardly)|\s+(?:hasn'?t|isn'?t|has\s+not|is\s+not))\s+(?:been\s+|stopped\s+|barely\s+|hardly\s+)*(?:moving|kicking|moved|kicked)\b[^.!?\n]{0,5}(?:since|all|for|as\s+much|today|this|like)|\b(?:haven'?t|have\s+not|hasn'?t|not|can'?t|didn'?t|don'?t|couldn'?t|barely|hardly)\s+(?:\w+\s+)?(?:felt|feel|feeling)\s+(?:the\s+|my\s+)?(?:baby|bub|him|her|any|much)\s*(?:move|moving|kick\w*|movements?)?`,
  ),
  r(
    "fetalMovement",
    String.raw`\b(?:reduced|fewer|less|no|decreased|slower|hardly\s+any|not\s+many)\s+(?:fetal\s+|foetal\s+|baby'?s?\s+)?(?:movements?|kicks)\b(?!\s+yet)|\bmovements?\s+(?:have|has)\s+(?:\w+\s+)?(?:slowed|reduced|stopped|changed|gone\s+quiet)|\b(?:baby|bump)\s+(?:is|has\s+been|seems|has\s+gone)\s+(?:\w+\s+)?(?:quiet|quieter|still|less\s+active)\b|\bbaby\s+(?:has\s+)?stopped\s+moving\b|\b(?:he|she|baby|bub|bump)(?:'s|\s+is|\s+has)\s+(?:gone|been|went)\s+(?:\w+\s+)?(?:quiet|still)\b|\b(?:kicks|kicking|moves|moving|wriggl\w*|normally|usually)\b[^.!?\n]{0,40}\b(?:but\s+)?(?:(?:today|tonight)\s+)?nothing\s+(?:at\s+all|today|tonight|since|this|all)|\bcan'?t\s+remember\s+(?:the\s+last\s+time|when)\s+i\s+(?:last\s+)?(?:felt|feel)|\bmovements?\s+(?:feel|are|seem|have\s+been|feels?)\s+(?:\w+\s+(?:and\s+)?)?(?:weaker|different|less|slower|fainter|fewer)\b`,
  ),
  r(
    "waters",
    String.raw`\bwaters?\s+(?:have\s+|has\s+|just\s+|might\s+have\s+|may\s+have\s+)?(?:broke|broken|breaking|went|gone|leaking|burst|popped)\b|\b(?:gush|trickle|leak(?:ing)?|puddle)\s+of\s+(?:clear\s+|pinkish\s+|watery\s+)?(?:fluid|water|liquid)\b|\bleaking\s+(?:amniotic\s+)?(?:fluid|water)\b|\b(?:doesn'?t|does\s+not|didn'?t|not)\s+smell\s+like\s+(?:wee|pee|urine)|\bwater\s+keeps\s+(?:trickling|coming|leaking)|\bfluid\s+(?:is\s+)?(?:leaking|gushing|trickling|coming)\b`,
  ),
  r(
    "clot",
    String.raw`\b(?:swollen|swelling|painful|red|hot|tender|throbbing|aching|warm)\b[^.!?\n]{0,20}\b(?:calf|calves|leg|thigh)\b|\b(?:calf|leg|thigh)\b[^.!?\n]{0,15}\b(?:is|feels|has\s+gone|has\s+been|been|went|got)\s+(?:\w+\s+){0,2}(?:swollen|painful|red|hot|tender|throbbing|warm|sore|achy|hard|hurting)\b|\bpain\s+in\s+(?:my\s+)?(?:calf|leg)\b[^.!?\n]{0,20}\b(?:swollen|red|hot|warm)`,
  ),
  r(
    "clot",
    String.raw`\b(?:short\s+of\s+breath|shortness\s+of\s+breath|breathless(?:ness)?|can'?t\s+(?:catch|get)\s+my\s+breath|struggling\s+to\s+breathe|hard\s+to\s+breathe|difficulty\s+breathing|trouble\s+breathing|gasping)\b`,
  ),
  r(
    "clot",
    String.raw`\b(?:chest\s+pains?|pains?\s+in\s+my\s+chest|chest\s+(?:is\s+|feels\s+)?(?:tight|heavy|tightness|hurts)|cough(?:ing|ed)?\s+(?:up\s+)?blood|blood\s+when\s+i\s+cough|pulmonary\s+embolism|dvt\b|blood\s+clot\s+in\s+my)`,
  ),
  r(
    "anaphylaxis",
    String.raw`\b(?:throat|tongue|lips?|mouth)\b[^.!?\n]{0,20}\b(?:swelling|swollen|closing|tight|tingling\s+and\s+swelling|swelled)\b|\bcan'?t\s+(?:breathe|swallow)\b|\bwheez\w*|\banaphyla\w*|\b(?:severe|bad|serious|massive)\s+allergic\s+reaction|\ballergic\s+reaction\b[^.!?\n]{0,30}\b(?:intralipid|ivig|infusion|drip|injection|now|right\s+now)|\bhives\b[^.!?\n]{0,40}\b(?:breath\w*|throat|wheez\w*|swell\w*)`,
  ),
  r(
    "overdose",
    String.raw`\b(?:took|taken|take|swallowed|swallow|downed)\s+(?:all|a\s+whole|the\s+whole|the\s+rest\s+of|loads\s+of|lots\s+of|a\s+(?:handful|load|bunch|packet|bottle|box)\s+of|too\s+many|(?:\d{2,}|twenty|thirty|fifty)\s+(?:of\s+)?|every\s+one\s+of|a\s+full\s+(?:packet|bottle|box)\s+of)\s*(?:my|the|his|her|of\s+my)?\s*(?:\w+\s+)?(?:pills|tablets|meds|medication|medicine|paracetamol|sleeping\s+pills|painkillers|antidepressants|packet|bottle|box)\b|\bswallowed\s+(?:all|the\s+whole|the\s+rest)\s+(?:of\s+)?(?:my|the|her|his)\s+\w+|\boverdos\w*`,
  ),
  r(
    "ohss",
    String.raw`\b${BODY}\b[^.!?\n]{0,25}\b(?:(?:is|feels|got|has\s+got|looks|gone|getting)\s+)?(?:so\s+|really\s+|very\s+|hugely\s+|massively\s+|extremely\s+|rock\s+)?(?:swollen|distended|tense|tight|hard|huge|enormous)\b[^.!?\n]{0,60}\b(?:collection|retrieval|egg|ec|trigger|stims|stimulation|breath\w*|pee\w*|wee\w*|urine|ohss|pregnant|month|months)`,
  ),
  r(
    "ohss",
    String.raw`\b(?:passing|peeing|weeing|urinating|producing)\s+(?:very\s+|really\s+|so\s+)?(?:little|hardly\s+any(?:thing)?|barely\s+any(?:thing)?|not\s+much|much\s+less|less)\b(?:\s+(?:urine|wee|pee))?|\b(?:haven'?t|have\s+not|hardly|barely|not)\s+(?:\w+\s+)?(?:peed|weed|urinated|passed\s+(?:urine|water)|been\s+to\s+the\s+(?:loo|toilet|bathroom))\b[^.!?\n]{0,40}\b(?:hours|all\s+day|since|today)|\b(?:gained|put\s+on)\s+(?:\d+(?:\.\d)?|two|three|four|five)\s*(?:kg|kilos?|lbs?|pounds)\s+(?:in\s+(?:a|one|two|three|\d+)\s+(?:day|days)|overnight)\b|\b(?:peeing|weeing|passing)\s+(?:only\s+)?(?:tiny|small)\s+amounts\b|\b(?:i\s+(?:think\s+i\s+)?(?:have|'ve\s+got|might\s+have|could\s+have)|i'?ve\s+got|signs\s+of|developing|developed)\s+(?:severe\s+|moderate\s+)?ohss\b`,
  ),
  r(
    "selfHarm",
    String.raw`\b(?:suicid\w*|kill(?:ing)?\s+myself|end(?:ing)?\s+(?:my\s+life|it\s+all|it\s+now|it\s+tonight|it\s+today|things)|plan\s+to\s+end\s+it|tak(?:e|ing)\s+my\s+(?:own\s+)?life|(?:want|wish|need)\s+(?:it\s+all|everything|this|my\s+life)\s+to\s+(?:end|stop|be\s+over)|(?:no|don'?t\s+see\s+a(?:ny)?|can'?t\s+see\s+a(?:ny)?)\s+reason\s+to\s+(?:keep\s+going|carry\s+on|be\s+here)|want(?:ed)?\s+to\s+die|wish(?:ed)?\s+i\s+(?:was|were)\s+dead|(?:want|wish|need)\s+to\s+disappear\s+(?:forever|for\s+good)|never\s+wake\s+up|wish\s+i\s+(?:hadn'?t\s+been\s+born|could\s+disappear\s+for\s+good|wouldn'?t\s+wake\s+up)|better\s+off\s+(?:dead|without\s+me|if\s+i\s+(?:wasn'?t|weren'?t|was\s+not|were\s+not)\s+(?:here|around|alive))|(?:what'?s|whats)\s+the\s+point\s+(?:in|of)\s+(?:living|going\s+on|being\s+alive)|no\s+reason\s+to\s+(?:live|go\s+on)|no\s+point\s+(?:in\s+)?(?:living|going\s+on|being\s+alive)|don'?t\s+want\s+to\s+(?:live|be\s+alive|be\s+here\s+anymore|wake\s+up|go\s+on))\b`,
  ),
  r(
    "selfHarm",
    String.raw`\b(?:self[-\s]?harm\w*|hurt(?:ing)?\s+myself|cut(?:ting)?\s+myself|burn(?:t|ed|ing)?\s+myself|harm(?:ing)?\s+myself|not\s+safe\s+(?:with|around)\s+myself)\b`,
  ),
];

/** Words that, shortly before a sign in the same sentence, deny it: "no bleeding", "not suicidal". */
export const NEGATION = String.raw`\b(?:no|not|never|without|denies|isn'?t|wasn'?t|aren'?t|weren'?t|haven'?t|hasn'?t|hadn'?t|didn'?t|don'?t|doesn'?t|no\s+longer|free\s+of|zero|nor|neither|any\s+sign\s+of|rule\s+out|ruled\s+out|thankfully\s+no)\b(?:\W+\w+){0,4}\W*$`;
/** Words that, anywhere in the same sentence, say the sign is over: "my bleeding stopped last week". */
export const RESOLVED = String.raw`\b(?:(?:bleed\w*|blood|pain|cramp\w*|fever|temperature|spotting|it|that|they|clots?|swelling|headache)\s+(?:has\s+|had\s+|have\s+|finally\s+|then\s+)?stopped(?!\s+(?:moving|kicking))|ended|went\s+away|gone\s+away|(?:is|has)\s+gone(?=\s*(?:[.!,;]|$|now|away|completely|thank))|resolved|settled|cleared\s+up|was\s+over|is\s+over|over\s+now|back\s+to\s+normal|subsided|behind\s+(?:me|us)|recovered|all\s+fine\s+now|(?:is|are|was|all)\s+(?:fine|ok|okay|well)\s+now|was\s+treated|got\s+better)\b`;
/** The sign happened before: "last year", "in 2019", "during my first pregnancy". */
export const PAST = String.raw`\b(?:last\s+(?:year|month|summer|winter|spring|autumn|time|cycle|pregnancy|round)|(?:a|one|two|three|four|five|six|\d+|few|couple\s+of|several)\s+(?:years?|months?|weeks?)\s+ago|in\s+(?:19|20)\d\d|back\s+in|years?\s+back|(?:years|months)\s+ago|with\s+my\s+(?:son|daughter|first|eldest|older|last|other)|previous(?:ly)?|my\s+(?:first|last|previous|earlier|second|third)\s+(?:pregnancy|miscarriage|loss|cycle|transfer|round|ivf|baby|delivery|birth)|when\s+i\s+was\s+(?:pregnant\s+with|younger|a\s+teen|\d+)|as\s+a\s+(?:teenager|child|kid)|history\s+of|used\s+to|at\s+the\s+time|that\s+time|after\s+my\s+(?:son|daughter)\s+was\s+born|(?:every|each)\s+(?:month|cycle|period)|at\s+(?:age\s+)?(?:1\d|[2-9]\d)(?!\s*(?:\+|weeks?|wks?|w\b|days?|dpo|dp\d|hours?|hrs?|mins?|minutes?|mm|cm|kg|%|\/)))\b`;
/** About signs in general, or what to do if: "I read that…", "what are the signs of OHSS?" */
export const GENERAL = String.raw`\b(?:i\s+(?:read|'ve\s+read|have\s+read|heard|saw|'ve\s+heard)|read\s+(?:that|somewhere|online)|can\s+\w+(?:\s+\w+)?\s+be\s+a\s+sign|signs?\s+of|symptoms?\s+of|what\s+(?:are|is|does|should|would|if|happens)|how\s+(?:do|would|can|will|long)|is\s+it\s+(?:true|normal|common|possible|safe)|does\s+(?:anyone|anybody)|do\s+(?:you|people|women)|(?:if|in\s+case|whether|unless)\s|should\s+i\s+(?:worry|be\s+worried|expect)|worried\s+(?:about|that)\s+(?:getting|i\s+might|it\s+might)|risk\s+of|chance\s+of|warned\s+(?:me\s+)?(?:about|that)|told\s+(?:me\s+)?to\s+(?:watch|look)\s+(?:out\s+)?for|watch\s+(?:out\s+)?for|look\s+out\s+for|leaflet|article|study|studies|women\s+who|people\s+who|someone\s+who|side\s+effects?\s+(?:of|include|list)|can\s+cause|may\s+cause|might\s+cause|could\s+cause|list\s+of|(?:my|a|her|his)\s+(?:friend|sister|mum|mom|mother|cousin|colleague|aunt|neighbour|friend's\s+\w+)\s+(?:had|has|was|got|went|nearly)|(?:my|a|her|his)\s+(?:friend|sister|mum|mom|mother|cousin|colleague|aunt|neighbour)['’]s)\b`;
/** It is happening now, whatever else the sentence says: "right now", "since this morning", "still". */
export const NOW = String.raw`\b(?:right\s+now|now|today|tonight|this\s+(?:morning|afternoon|evening)|currently|at\s+the\s+moment|still|since\s+(?:this|last\s+night|yesterday|\d|an?\s+hour|the\s+(?:transfer|collection|retrieval|infusion|procedure))|for\s+the\s+(?:last|past)\s+(?:\w+\s+)?(?:hours?|days?|minutes?)|keeps?\s+(?:getting|coming)|getting\s+worse|i'?m\s+(?:bleeding|soaking|passing|in\s+(?:so\s+much\s+|agony|severe)|having)|i\s+am\s+(?:bleeding|soaking|passing|having)|just\s+(?:now|started|happened))\b`;

export const EMERGENCY_GUIDANCE: Record<EmergencyKind, string> = {
  bleeding: "Heavy bleeding, or clots that keep coming",
  pain: "Severe pain in the abdomen or pelvis",
  ectopic: "Shoulder-tip pain, or pain on one side early in pregnancy (possible ectopic pregnancy)",
  fainting: "Fainting, collapsing or feeling about to pass out",
  fever: "A high temperature (38°C or above) or shivering",
  preEclampsia: "A severe headache, problems with your vision, or sudden swelling of the face, hands or feet",
  fetalMovement: "Your baby moving less than usual, or not at all",
  waters: "Your waters breaking, or fluid leaking, before you are due",
  clot: "Breathlessness, chest pain, coughing blood, or a painful swollen leg",
  anaphylaxis: "Swelling of the throat, lips or tongue, wheezing or difficulty breathing (a severe allergic reaction)",
  overdose: "Having taken too many tablets or medicines",
  ohss: "A swollen, tense belly, breathlessness or passing little urine after fertility treatment (possible OHSS)",
  selfHarm: "Thoughts of suicide or of harming yourself",
};

export interface EmergencySign {
  kind: EmergencyKind;
  text: string;
  start: number;
  end: number;
}

/** Splits at sentence ends and line breaks, so that "no pain. Heavy bleeding now" is judged per sentence. */
function sentences(text: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  const re = /[^.!?\n;]+(?:\.\d[^.!?\n;]*)*[.!?\n;]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ text: m[0], offset: m.index });
  return out;
}

const rules = EMERGENCY_RULES.map((rule) => ({ kind: rule.kind, re: new RegExp(rule.pattern, "gi") }));
const negation = new RegExp(NEGATION, "i");
const resolved = new RegExp(RESOLVED, "i");
const past = new RegExp(PAST, "i");
const general = new RegExp(GENERAL, "i");
const now = new RegExp(NOW, "i");
/** Self-harm rules carry their own negations ("don't want to live"): only a denial just before counts. */
const deniedJustBefore = /\b(?:not|never|no|no\s+longer|isn'?t|wasn'?t|haven'?t|i'?m\s+not|am\s+not)\b(?:\W+\w+){0,4}\W*$/i;
/** Told it is harmless, or explained by something harmless: "apparently that's normal", "tight with anxiety". */
export const REASSURED = String.raw`\b(?:(?:it'?s|its|it\s+is|that'?s|thats|all|totally|perfectly|completely|apparently)\s+(?:\w+\s+)?normal|nothing\s+to\s+worry|(?:with|from|because\s+of|due\s+to)\s+(?:the\s+)?(?:anxiety|stress|nerves|worry|worrying|crying)|pain\s+of\s+(?:losing|the\s+loss|loss|grief|it\s+all|infertility|waiting)|(?:emotional|mental)\s+pain|heart\s*(?:ache|break|broken))\b`;

/**
 * Clauses of a sentence, split where what comes after may be about another time: "I had a DVT in 2017, which
 * is why I'm on clexane now", "the scan was fine last week but now I'm bleeding".
 */
const reassured = new RegExp(REASSURED, "i");

function clauses(sentence: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  // "so" only where it starts a clause ("…, so I always lie down"), never as "so heavy".
  const cut =
    /,?\s+(?=(?:but(?!\s+(?:(?:today|tonight)\s+)?nothing)|although|though|however|whereas|which|and\s+now|now)\b)|,\s+(?=so\b)|\s+(?=so\s+(?:i|i'?m|im|we|that|now)\b)/gi;
  let at = 0;
  for (let m = cut.exec(sentence); m; m = cut.exec(sentence)) {
    out.push({ text: sentence.slice(at, m.index), offset: at });
    at = m.index + m[0].length;
  }
  out.push({ text: sentence.slice(at), offset: at });
  return out;
}

/** A question about signs in general: it starts with a question word and says nothing about the writer. */
const generalQuestion =
  /^\s*(?:is|are|can|could|does|do|how|what|why|when|should|would|will)\b(?![^?]*\b(?:i|i'm|i've|my|me|we|our)\b)[^?]*\?/i;

export function findEmergencySigns(text: string): EmergencySign[] {
  const signs: EmergencySign[] = [];
  for (const sentence of sentences(text)) {
    const askedInGeneral = generalQuestion.test(sentence.text);
    for (const clause of clauses(sentence.text)) {
      const happeningNow = now.test(clause.text);
      // Over, in the past, asked about in general or explained away: no alarm, unless it is happening now.
      if (resolved.test(clause.text) && !/\b(?:still|again|getting\s+worse|now\s+(?:it'?s|i'?m))\b/i.test(clause.text)) continue;
      // Reassurance may follow in another clause: "a bit breathless, but the midwife says that's normal".
      if (reassured.test(clause.text) || (!happeningNow && reassured.test(sentence.text))) continue;
      const past_ = past.test(clause.text);
      const general_ = general.test(clause.text) || askedInGeneral;
      if (!happeningNow && past_) continue;
      const offset = sentence.offset + clause.offset;
      for (const rule of rules) {
        // Thoughts of self-harm are told in "if" clauses ("better off if I wasn't here"): not a general question.
        if (!happeningNow && general_ && rule.kind !== "selfHarm") continue;
        rule.re.lastIndex = 0;
        for (let m = rule.re.exec(clause.text); m; m = rule.re.exec(clause.text)) {
          if (m[0].length === 0) {
            rule.re.lastIndex++;
            continue;
          }
          const before = clause.text.slice(0, m.index);
          // Rules that state an absence themselves ("haven't felt the baby move") carry their own negation.
          if (rule.kind === "selfHarm" ? deniedJustBefore.test(before) : negation.test(before)) continue;
          const start = offset + m.index;
          if (signs.some((s) => start < s.end && start + m[0].length > s.start)) continue;
          signs.push({ kind: rule.kind, text: m[0], start, end: start + m[0].length });
        }
      }
    }
  }
  return signs.sort((a, b) => a.start - b.start);
}
