#!/usr/bin/env python3
"""A long-tail yardstick for secret detection: fake keys of ~380 small SaaS/API providers.

Each file holds one short example, shaped like the rule-example test data secret scanners
ship: a log fragment, a JSON or YAML config, a dotenv line, the provider's name alone as
the variable, a client constructor, a curl command, a URL with the key in its query, an
id + secret pair, ... (24 styles), plus near-miss negatives in 20 categories (placeholders,
environment references, low-entropy values, checksums, commit ids, request ids, redacted
and truncated keys, fixtures labelled fake, ...).

Written apart from every rule pack and from the other yardsticks: each provider's key shape
is taken from its public documentation as known to the author ("D" in the table below:
a documented prefix, alphabet or length) or, where the provider documents none, is a
realistic generic shape for such keys ("G": 32 hex, 40 base62, a UUID, a JWT, ...). No
token format, example or regex was copied from another scanner's rules or test data.
Every secret is a random fake drawn from a seeded RNG.

    longtail-corpus.py gen OUT_DIR MANIFEST [--seed N]
    longtail-corpus.py --self-check

The manifest is the JSON list `quality-corpus.py score` reads: one entry per file,
{file, first, last, kind, decoy, style, value, neutral, encoding}; `kind` is the provider,
`decoy` false for a planted secret and the negative's category otherwise, `first`/`last`
the 1-based lines the secret is on, `neutral` whether the file's name carries no extension.
"""
import base64
import json
import math
import os
import random
import re
import string
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common
from corpus_common import b64url, build_twice, report, uuid_from_hex, write_corpus

SEED = 20250714

# ---------------------------------------------------------------------------------------
# The providers. One line each:
#   nickname | display name | API base (host/path; {KEY} where the key goes in the path)
#   | key template | D (documented shape) or G (generic shape) | how the key is sent
#   | the provider's own name for the credential | optional id that pairs with it
# Templates: literal text with {hex:N} {HEX:N} {b62:N} {lower:N} {upper:N} {digits:N}
# {b64:N} {b64u:N} {uuid} {UUID} {jwt} {pw} {email} {word}.
# Sent as: q (query parameter), path, bearer, raw (Authorization: KEY), h:Header[:prefix],
# basic (key as user), basic0 (key as password, no user), basicu:USER, basicp (id:key),
# json (in a JSON body), sign (an HMAC secret: never sent, so no curl/URL example).
PROVIDERS = r"""
abyssale|Abyssale|api.abyssale.com/banner-builder/templates|{b62:40}|G|h:x-api-key|api_key|
adzuna|Adzuna|api.adzuna.com/v1/api/jobs/gb/search/1|{hex:32}|D|q|app_key|app_id={hex:8}
aeroworkflow|AeroWorkflow|api.aeroworkflow.com/api/v1/clients|{b62:20}|G|q|apikey|account_number={digits:6}
airvisual|AirVisual|api.airvisual.com/v2/nearest_city|{uuid}|G|q|key|
alconost|Alconost|alconost.com/api/v1/orders|{hex:32}|G|h:X-API-Key|api_key|
alegra|Alegra|api.alegra.com/api/v1/invoices|{hex:20}|G|basicp|token|email={email}
aletheiaapi|Aletheia API|api.aletheiaapi.com/StockData|{HEX:32}|G|h:key|key|
allsports|AllSportsAPI|apiv2.allsportsapi.com/football/|{hex:64}|G|q|APIkey|
amadeus|Amadeus|test.api.amadeus.com/v1/security/oauth2/token|{b62:16}|G|basicp|client_secret|client_id={b62:32}
ambee|Ambee|api.ambeedata.com/latest/by-lat-lng|{hex:64}|G|h:x-api-key|api_key|
apacta|Apacta|app.apacta.com/api/v1/projects|{uuid}|G|q|api_key|
api2cart|API2Cart|api.api2cart.com/v1.1/product.list.json|{hex:32}|G|q|api_key|store_key={hex:32}
apideck|Apideck|unify.apideck.com/crm/contacts|{b62:64}|G|bearer|api_key|app_id={b62:40}
apiflash|ApiFlash|api.apiflash.com/v1/urltoimage|{hex:32}|G|q|access_key|
apifonica|Apifonica|api.apifonica.com/v2/accounts|{uuid}|G|basicp|auth_token|account_sid={uuid}
apimatic|APIMatic|www.apimatic.io/api/code-generations|{b64:44}|G|h:Authorization:X-Auth-Key |api_key|
apitemplate|APITemplate.io|rest.apitemplate.io/v2/create-pdf|{b62:40}|G|h:X-API-KEY|api_key|
appfollow|AppFollow|api.appfollow.io/api/v2/reviews|{b62:32}|G|h:X-AppFollow-API-Token|api_token|
appointedd|Appointedd|api.appointedd.com/v1/bookings|{b64:64}|G|h:X-API-KEY|api_key|
apptivo|Apptivo|api.apptivo.com/app/dao/v6/contacts|{uuid}|G|q|accessKey|apiKey={uuid}
artsy|Artsy|api.artsy.net/api/tokens/xapp_token|{hex:32}|G|q|client_secret|client_id={lower:20}
audd|AudD|api.audd.io/|{hex:32}|G|q|api_token|
autodesk|Autodesk Platform Services|developer.api.autodesk.com/authentication/v2/token|{b62:16}|G|basicp|client_secret|client_id={b62:32}
autoklose|Autoklose|api.autoklose.com/api/campaigns|{b62:32}|G|q|api_token|
autopilot|Autopilot|api2.autopilothq.com/v1/contacts|{hex:32}|G|h:autopilotapikey|api_key|
aviationstack|aviationstack|api.aviationstack.com/v1/flights|{hex:32}|D|q|access_key|
axonaut|Axonaut|axonaut.com/api/v2/companies|{hex:32}|G|h:userApiKey|api_key|
aylien|AYLIEN News API|api.aylien.com/news/stories|{hex:32}|D|h:X-AYLIEN-NewsAPI-Application-Key|application_key|application_id={hex:8}
ayrshare|Ayrshare|app.ayrshare.com/api/post|{upper:8}-{upper:8}-{upper:8}-{upper:8}|D|bearer|api_key|
bannerbear|Bannerbear|api.bannerbear.com/v2/images|{b62:32}|G|bearer|api_key|
beebole|Beebole|beebole-apps.com/api/v2|{hex:40}|G|basic|api_token|
besnappy|BeSnappy|app.besnappy.com/api/v1/tickets|{hex:64}|G|basic|api_key|
besttime|BestTime|besttime.app/api/v1/forecasts|pri_{hex:32}|D|q|api_key_private|api_key_public=pub_{hex:32}
billomat|Billomat|acme.billomat.net/api/clients|{hex:32}|G|h:X-BillomatApiKey|api_key|
bitbar|BitBar|cloud.bitbar.com/api/me|{b62:32}|G|basic|api_key|
bitcoinaverage|BitcoinAverage|apiv2.bitcoinaverage.com/indices/global/ticker/BTCUSD|{b64:43}|G|sign|secret_key|public_key={b64:43}
bitmex|BitMEX|www.bitmex.com/api/v1/order|{b64u:48}|D|sign|api_secret|api_key={b64u:24}
blazemeter|BlazeMeter|a.blazemeter.com/api/v4/user|{hex:64}|G|basicp|api_key_secret|api_key_id={hex:24}
blitapp|Blitapp|blitapp.com/api/v1/jobs|{b62:40}|G|h:X-API-Key|api_token|
blogger|Blogger|www.googleapis.com/blogger/v3/blogs/2399953|AIza{b64u:35}|D|q|key|
bombbomb|BombBomb|api.bombbomb.com/v2/videos|{b62:40}|G|bearer|api_key|
boostnote|Boost Note|boostnote.io/api/docs|{hex:64}|G|bearer|token|
borgbase|BorgBase|api.borgbase.com/graphql|{jwt}|D|bearer|token|
browshot|Browshot|api.browshot.com/api/v1/simple|{b62:28}|G|q|key|
bugherd|BugHerd|www.bugherd.com/api_v2/projects.json|{lower:22}|G|basic|api_key|
bulksms|BulkSMS|api.bulksms.com/v1/messages|{b62:32}|G|basicp|token_secret|token_id={HEX:32}
caflou|Caflou|app.caflou.com/api/v1/accounts|{jwt}|G|bearer|api_token|
calorieninja|CalorieNinjas|api.calorieninjas.com/v1/nutrition|{b64:40}|G|h:X-Api-Key|api_key|
campayn|Campayn|campayn.com/api/v1/lists.json|{hex:32}|G|h:Authorization:TRUEREST apikey=|api_key|
captaindata|Captain Data|api.captaindata.co/v3/workspaces|{hex:64}|G|h:x-api-key|api_key|project_uid={uuid}
carboninterface|Carbon Interface|www.carboninterface.com/api/v1/estimates|{b62:22}|G|bearer|api_key|
cashboard|Cashboard|api.cashboardapp.com/projects|{b62:20}|G|basicp|api_key|subdomain={word}
caspio|Caspio|c1abc123.caspio.com/oauth/token|{hex:50}|G|basicp|client_secret|client_id={hex:50}
centralstationcrm|CentralStationCRM|acme.centralstationcrm.net/api/people.json|{b62:30}|G|h:X-apikey|api_key|
cexio|CEX.IO|cex.io/api/balance/|{b62:30}|G|sign|api_secret|api_key={b62:25}
chatbot|ChatBot|api.chatbot.com/stories|{b62:32}|G|bearer|access_token|
chatfule|Chatfuel|api.chatfuel.com/bots/broadcast|{b62:64}|G|q|chatfuel_token|bot_id={hex:24}
checkvist|Checkvist|checkvist.com/auth/login.json|{b62:20}|G|q|remote_key|username={email}
cicero|Cicero|cicero.azavea.com/v3.1/official|{hex:40}|G|q|token|user={digits:5}
clickhelp|ClickHelp|acme.clickhelp.co/api/v1/projects|{b62:24}|G|basicp|api_key|login={word}
cliengo|Cliengo|api.cliengo.com/1.0/contacts|{uuid}|G|q|api_key|
clinchpad|ClinchPad|www.clinchpad.com/api/v1/pipelines|{hex:32}|G|basicu:api|api_key|
clockworksms|Clockwork SMS|api.clockworksms.com/http/send.aspx|{hex:40}|G|q|key|
cloudelements|Cloud Elements|api.cloud-elements.com/elements/api-v2/hubs|{b64:44}|G|h:Authorization:User |user_secret|organization_secret={hex:32}
cloudimage|Cloudimage|api.cloudimage.com/invalidate|{b62:30}|G|h:X-Client-Key|client_key|
cloudmersive|Cloudmersive|api.cloudmersive.com/validate/email/address/basic|{uuid}|G|h:Apikey|api_key|
cloudplan|Cloudplan|api.cloudplan.net/api/user/login|{hex:32}|G|q|api_key|
cloverly|Cloverly|api.cloverly.com/2021-10/estimates/shipping|{b62:24}|G|bearer|private_key|
cloze|Cloze|api.cloze.com/v1/user/profile|{hex:32}|G|q|api_key|user={email}
clustdoc|Clustdoc|api.clustdoc.com/api/dossiers|{b62:60}|G|bearer|api_token|
codequiry|Codequiry|codequiry.com/api/v1/check/create|{hex:64}|G|h:apikey|api_key|
coinapi|CoinAPI|rest.coinapi.io/v1/exchangerate/BTC/USD|{UUID}|D|h:X-CoinAPI-Key|api_key|
coinlayer|coinlayer|api.coinlayer.com/live|{hex:32}|D|q|access_key|
coinlib|Coinlib|coinlib.io/api/v1/global|{hex:16}|G|q|key|
column|Column|api.column.com/entities|live_{b62:27}|D|basic0|api_key|
commercejs|Commerce.js|api.chec.io/v1/products|sk_{hex:48}|D|h:X-Authorization|secret_key|
commodities|Commodities-API|commodities-api.com/api/latest|{lower:60}|G|q|access_key|
companyhub|CompanyHub|api.companyhub.com/v1/tables/contact|{b62:20}|G|h:Authorization:acme |api_key|
countrylayer|countrylayer|api.countrylayer.com/v2/all|{hex:32}|D|q|access_key|
courier|Courier|api.courier.com/send|pk_prod_{upper:28}|D|bearer|auth_token|
craftmypdf|CraftMyPDF|api.craftmypdf.com/v1/create|{b64:44}|G|h:X-API-KEY|api_key|
cryptocompare|CryptoCompare|min-api.cryptocompare.com/data/price|{hex:64}|G|q|api_key|
currencycloud|Currencycloud|devapi.currencycloud.com/v2/authenticate/api|{hex:64}|G|q|api_key|login_id={email}
currencyfreaks|CurrencyFreaks|api.currencyfreaks.com/v2.0/rates/latest|{hex:32}|G|q|apikey|
currencylayer|currencylayer|api.currencylayer.com/live|{hex:32}|D|q|access_key|
currencyscoop|CurrencyScoop|api.currencyscoop.com/v1/latest|{hex:32}|G|q|api_key|
currentsapi|Currents API|api.currentsapi.services/v1/latest-news|{b64u:48}|G|q|apiKey|
customerguru|CustomerGuru|customerguru.in/api/v1/surveys|{hex:32}|G|h:X-API-SECRET|api_secret|api_key={hex:16}
dandelion|Dandelion|api.dandelion.eu/datatxt/nex/v1|{hex:32}|G|q|token|
dareboost|Dareboost|www.dareboost.com/api/0.5/analysis/launch|{b62:60}|G|json|token|
databox|Databox|push.databox.com/|{lower:32}|G|basic|push_token|
datafire|DataFire|api.datafire.io/v1/projects|{b62:40}|G|bearer|api_key|
debounce|DeBounce|api.debounce.io/v1/|{lower:13}|G|q|api|
deepai|DeepAI|api.deepai.org/api/text2img|{uuid}|G|h:api-key|api_key|
delighted|Delighted|api.delighted.com/v1/metrics.json|{b62:32}|G|basic|api_key|
demio|Demio|my.demio.com/api/v1/events|{b62:16}|G|h:Api-Secret|api_secret|api_key={b62:30}
deputy|Deputy|acme.na.deputy.com/api/v1/me|{hex:32}|G|h:Authorization:OAuth |access_token|
detectlanguage|Detect Language|ws.detectlanguage.com/0.2/detect|{hex:32}|G|bearer|api_key|
dfuse|dfuse|auth.dfuse.io/v1/auth/issue|server_{hex:32}|D|json|api_key|
diggernaut|Diggernaut|www.diggernaut.com/api/projects|{hex:40}|G|h:Authorization:Token |api_key|
ditto|Ditto|api.dittowords.com/v1/projects|{b62:40}|G|h:Authorization:token |api_key|
dnscheck|DNS Check|www.dnscheck.co/api/v1/groups|{b62:32}|G|h:x-api-key|api_key|
documo|Documo|api.documo.com/v1/faxes|{b64:88}|G|h:Authorization:Basic |api_key|
dotmailer|dotdigital|r1-api.dotmailer.com/v2/account-info|{pw}|D|basicp|api_password|api_user=apiuser-{hex:12}@apiconnector.com
dovico|Dovico|api.dovico.com/Employees/|{hex:32}|G|h:Authorization:WRAP access_token=|access_token|
dronahq|DronaHQ|plugin.api.dronahq.com/table/orders|{b62:50}|G|q|tokenkey|
duply|Duply|api.duply.co/v1/render|{b62:40}|G|bearer|api_key|
dynalist|Dynalist|dynalist.io/api/v1/file/list|{b64u:64}|G|json|token|
dyspatch|Dyspatch|api.dyspatch.io/templates|{upper:60}|G|bearer|api_key|
eagleeyenetworks|Eagle Eye Networks|login.eagleeyenetworks.com/g/aaa/authenticate|{b62:40}|G|h:Authentication|api_key|
easyinsight|Easy Insight|www.easy-insight.com/app/api/row.json|{b62:20}|G|basicp|secret_key|key={b62:20}
edamam|Edamam|api.edamam.com/api/recipes/v2|{hex:32}|D|q|app_key|app_id={hex:8}
edenai|Eden AI|api.edenai.run/v2/text/sentiment_analysis|{jwt}|D|bearer|api_key|
eightxeight|8x8|sms.8x8.com/api/v1/subaccounts/acme_hq/messages|{b62:43}|G|bearer|api_key|
enablex|EnableX|api.enablex.io/video/v2/rooms|{b62:36}|G|basicp|app_key|app_id={hex:24}
enigma|Enigma|api.enigma.com/businesses/match|{b62:40}|G|h:x-api-key|api_key|
ethplorer|Ethplorer|api.ethplorer.io/getTokenInfo/0xdac17f958d2ee523a2206206994597c13d831ec7|EK-{b62:5}-{b62:7}-{b62:5}|D|q|apiKey|
eventbrite|Eventbrite|www.eventbriteapi.com/v3/users/me/|{upper:20}|G|bearer|private_token|
exchangerateapi|ExchangeRate-API|v6.exchangerate-api.com/v6/{KEY}/latest/USD|{hex:24}|D|path|api_key|
exportsdk|ExportSDK|api.exportsdk.com/v1/pdf|{b62:40}|G|h:X-API-KEY|api_key|
extractorapi|ExtractorAPI|extractorapi.com/api/v1/extractor|{hex:40}|G|q|apikey|
faceplusplus|Face++|api-us.faceplusplus.com/facepp/v3/detect|{b64u:32}|G|q|api_secret|api_key={b64u:32}
fakejson|FakeJSON|app.fakejson.com/q|{b62:22}|G|json|token|
fastforex|fastFOREX|api.fastforex.io/fetch-all|{hex:10}-{hex:10}-{hex:8}|G|q|api_key|
feedier|Feedier|api.feedier.com/v1/feedbacks|{b62:40}|G|q|api_key|
fetchrss|FetchRSS|fetchrss.com/api/v1/feed/list|{hex:32}|G|q|auth|
fibery|Fibery|acme.fibery.io/api/commands|{hex:8}.{hex:32}|G|h:Authorization:Token |api_token|
fileio|file.io|file.io/|{b62:40}|G|bearer|api_key|
finage|Finage|api.finage.co.uk/last/stock/AAPL|{upper:32}|G|q|apikey|
fixerio|Fixer|data.fixer.io/api/latest|{hex:32}|D|q|access_key|
flatio|Flat|api.flat.io/v2/me|{hex:128}|G|bearer|access_token|
flightapi|FlightAPI|api.flightapi.io/onewaytrip/{KEY}/LHR/LAX/2025-05-01/1/0/0/Economy/USD|{hex:24}|G|path|api_key|
flightlabs|FlightLabs|app.goflightlabs.com/flights|{jwt}|G|q|access_key|
flightstats|FlightStats|api.flightstats.com/flex/schedules/rest/v1/json/flight/AA/100/departing/2025/05/01|{hex:32}|D|q|appKey|appId={hex:8}
float|Float|api.float.com/v3/people|{hex:40}|G|bearer|access_token|
flowflu|Flowlu|acme.flowlu.com/api/v1/module/crm/account/list|{b62:32}|G|q|api_key|
fmfw|FMFW.io|api.fmfw.io/api/3/spot/balance|{b62:32}|G|basicp|secret_key|api_key={b62:32}
formbucket|FormBucket|api.formbucket.com/v1/buckets|{jwt}|G|bearer|token|
formcraft|FormCraft|formcraft-wp.com/api/v1/forms|{hex:32}|G|q|api_key|
formio|Form.io|api.form.io/project|{b62:30}|G|h:x-token|api_key|
formsite|Formsite|fs22.formsite.com/api/v2/acme/forms|{b62:32}|G|bearer|api_token|
foursquare|Foursquare|api.foursquare.com/v3/places/search|fsq3{b64:44}|D|raw|api_key|
fulcrum|Fulcrum|api.fulcrumapp.com/api/v2/forms.json|{hex:80}|G|h:X-ApiToken|api_token|
fusebill|Fusebill|secure.fusebill.com/v1/customers|{b64:88}|G|h:Authorization:Basic |api_key|
fxmarket|FXMarketAPI|fxmarketapi.com/apilive|{b64u:20}|G|q|api_key|
geckoboard|Geckoboard|api.geckoboard.com/datasets|{hex:32}|G|basic|api_key|
geoapify|Geoapify|api.geoapify.com/v1/geocode/search|{hex:32}|G|q|apiKey|
geocode|Geocode Maps|geocode.maps.co/search|{hex:24}|G|q|api_key|
geoipifi|IP Geolocation API|geo.ipify.org/api/v2/country|at_{b62:29}|D|q|apiKey|
getemail|GetEmail.io|api.getemail.io/v1/find-mail|{b62:30}|G|q|api_key|
getgeoapi|GetGeoAPI|api.getgeoapi.com/v2/ip/check|{hex:40}|G|q|api_key|
getgist|Gist|api.getgist.com/contacts|{b62:32}|G|bearer|access_token|
getresponse|GetResponse|api.getresponse.com/v3/campaigns|{lower:32}|D|h:X-Auth-Token:api-key |api_key|
getsandbox|Sandbox|api.getsandbox.com/sandboxes|{uuid}|G|raw|api_key|
glassnode|Glassnode|api.glassnode.com/v1/metrics/addresses/active_count|{b62:27}|G|q|api_key|
glitterlyapi|Glitterly|api.glitterly.app/v1/images|{hex:32}|G|h:x-api-key|api_key|
gocanvas|GoCanvas|www.gocanvas.com/apiv2/forms.xml|{b64:44}|G|q|api_key|username={email}
goodday|GoodDay|api.goodday.work/2.0/projects|{hex:32}|G|h:gd-api-token|api_token|
groovehq|Groove|api.groovehq.com/v1/tickets|{hex:64}|G|bearer|access_token|
guardianapi|The Guardian Open Platform|content.guardianapis.com/search|{uuid}|D|q|api-key|
guru|Guru|api.getguru.com/api/v1/search/query|{uuid}|G|basicp|api_token|user={email}
gyazo|Gyazo|api.gyazo.com/api/images|{b64u:43}|G|q|access_token|
happi|happi.dev|api.happi.dev/v1/music|{hex:64}|G|h:x-happi-key|apikey|
happyscribe|Happy Scribe|www.happyscribe.com/api/v1/transcriptions|{b62:24}|G|bearer|api_key|
helpcrunch|HelpCrunch|api.helpcrunch.com/v1/customers|{jwt}|G|bearer|api_key|
hiveage|Hiveage|acme.hiveage.com/api/network|{b62:20}|G|basic|api_key|
holidayapi|Holiday API|holidayapi.com/v1/holidays|{uuid}|D|q|key|
holistic|Holistic.dev|api.holistic.dev/api/v1/project|{b62:40}|G|h:x-api-key|api_key|
html2pdf|html2pdf.app|api.html2pdf.app/v1/generate|{b62:64}|G|q|apiKey|
humanity|Humanity|www.humanity.com/api/v2/employees|{hex:40}|G|q|access_token|
hybiscus|Hybiscus|api.hybiscus.dev/api/v1/build-report|{b62:22}|G|h:X-API-KEY|api_key|
hypertrack|HyperTrack|v3.api.hypertrack.com/devices|{b62:54}|G|basicp|secret_key|account_id={b62:27}
iconfinder|Iconfinder|api.iconfinder.com/v4/icons/search|{b62:64}|G|bearer|api_key|
imagga|Imagga|api.imagga.com/v2/tags|{hex:32}|D|basicp|api_secret|api_key=acc_{hex:15}
impala|Impala|sandbox.impala.travel/v1/hotels|{b62:40}|G|h:x-api-key|api_key|
intrinio|Intrinio|api-v2.intrinio.com/companies/AAPL|{b64:44}|G|q|api_key|
invoiceocean|InvoiceOcean|acme.invoiceocean.com/invoices.json|{b62:20}|G|q|api_token|
ipify|ipify|geo.ipify.org/api/v2/country,city|at_{b62:29}|D|q|apiKey|
ipinfodb|IPInfoDB|api.ipinfodb.com/v3/ip-city/|{hex:64}|G|q|key|
juro|Juro|api.juro.com/v3/contracts|{hex:32}|G|h:x-api-key|api_key|
kanban|Kanbanize|acme.kanbanize.com/api/v2/cards|{b62:40}|G|h:apikey|api_key|
kanbantool|Kanban Tool|acme.kanbantool.com/api/v3/boards.json|{upper:16}|G|bearer|api_token|
karmacrm|karmaCRM|app.karmacrm.com/api/v3/contacts.json|{b62:20}|G|q|api_token|
klipfolio|Klipfolio|app.klipfolio.com/api/1.0/profile|{hex:40}|G|h:kf-api-key|api_key|
knapsackpro|Knapsack Pro|api.knapsackpro.com/v1/queues/queue|{hex:32}|G|h:KNAPSACK-PRO-TEST-SUITE-TOKEN|test_suite_token|
kylas|Kylas|api.kylas.io/v1/leads|{uuid}:{digits:4}|G|h:api-key|api_key|
languagelayer|languagelayer|api.languagelayer.com/detect|{hex:32}|D|q|access_key|
leadfeeder|Leadfeeder|api.leadfeeder.com/accounts|{b62:40}|G|h:Authorization:Token token=|api_token|
lendflow|Lendflow|api.lendflow.io/v1/deals|{jwt}|G|bearer|api_key|
lessannoyingcrm|Less Annoying CRM|api.lessannoyingcrm.com/v2/|{digits:7}-{b62:40}|G|raw|api_token|
lexigram|Lexigram|api.lexigram.io/v1/extract/entities|{jwt}|G|bearer|api_key|
linkpreview|LinkPreview|api.linkpreview.net/|{hex:32}|G|h:X-Linkpreview-Api-Key|key|
liveagent|LiveAgent|acme.ladesk.com/api/v3/tickets|{b62:32}|G|h:apikey|api_key|
livestorm|Livestorm|api.livestorm.co/v1/events|{jwt}|G|raw|api_token|
loadmill|Loadmill|app.loadmill.com/api/tests|{hex:40}|G|raw|api_token|
loginradius|LoginRadius|api.loginradius.com/identity/v2/manage/account|{uuid}|D|h:X-LoginRadius-ApiSecret|apisecret|apikey={uuid}
loyverse|Loyverse|api.loyverse.com/v1.0/receipts|{hex:32}|G|bearer|access_token|
lunchmoney|Lunch Money|dev.lunchmoney.app/v1/transactions|{hex:50}|G|bearer|access_token|
luno|Luno|api.luno.com/api/1/balance|{b64u:43}|G|basicp|api_key_secret|api_key_id={lower:13}
macaddress|macaddress.io|api.macaddress.io/v1|at_{b62:29}|D|h:X-Authentication-Token|apiKey|
madkudu|MadKudu|api.madkudu.com/v1/persons|{hex:32}|G|basic|api_key|
magnetic|Magnetic|app.magnetichq.com/Magnetic/rest/contactsAPI/contacts|{uuid}|G|q|token|
mailmodo|Mailmodo|api.mailmodo.com/api/v1/addToList|{upper:30}|G|h:mmApiKey|api_key|
mailsac|Mailsac|mailsac.com/api/addresses|k_{b62:24}|D|h:Mailsac-Key|api_key|
mavenlink|Mavenlink|api.mavenlink.com/api/v1/workspaces.json|{hex:64}|G|bearer|oauth_token|
meaningcloud|MeaningCloud|api.meaningcloud.com/sentiment-2.1|{hex:32}|G|q|key|
mediastack|mediastack|api.mediastack.com/v1/news|{hex:32}|D|q|access_key|
meistertask|MeisterTask|www.meistertask.com/api/projects|{b64u:43}|G|bearer|access_token|
mesibo|Mesibo|api.mesibo.com/api.php|{lower:64}|G|q|token|
metaapi|MetaApi|mt-client-api-v1.new-york.agiliumtrade.ai/users/current/accounts|{jwt}|G|h:auth-token|token|
metrilo|Metrilo|api.metrilo.com/v2/customers|{hex:32}|G|sign|api_secret|api_token={hex:16}
mindmeister|MindMeister|www.mindmeister.com/api/v2/users/me|{b64u:43}|G|bearer|access_token|
mixmax|Mixmax|api.mixmax.com/v1/users/me|{uuid}|G|h:X-API-Token|api_token|
moderation|Moderation API|moderationapi.com/api/v1/moderate/text|{b62:40}|G|bearer|api_key|
moonclerck|MoonClerk|api.moonclerk.com/customers|{hex:32}|G|h:Authorization:Token token=|api_key|
mrticktock|MrTickTock|mrticktock.com/app/api/get_timers|{pw}|G|q|password|email={email}
myintervals|Intervals|api.myintervals.com/task/|{lower:11}|G|basic|api_token|
nethunt|NetHunt CRM|nethunt.com/api/v1/zapier/triggers/readable-folder|{uuid}|G|basicp|api_key|email={email}
neutrinoapi|Neutrino API|neutrinoapi.net/ip-info|{b62:48}|G|q|api-key|user-id={word}
newsapi|News API|newsapi.org/v2/top-headlines|{hex:32}|G|q|apiKey|
newscatcher|NewsCatcher|api.newscatcherapi.com/v2/search|{b64u:43}|G|h:x-api-key|api_key|
nftport|NFTPort|api.nftport.xyz/v0/accounts/0xb1a2c3d4e5f60718293a4b5c6d7e8f9012345678|{uuid}|G|raw|api_key|
nicereply|Nicereply|api.nicereply.com/v1/users|{b62:32}|G|basic|private_key|
nimble|Nimble|app.nimble.com/api/v1/contacts|{lower:30}|G|bearer|api_key|
nitro|Nitro|api.gonitro.dev/conversions|{b62:40}|G|bearer|api_key|
noticeable|Noticeable|api.noticeable.io/graphql|{b62:20}|G|h:Authorization:Apikey |api_key|
nozbeteams|Nozbe Teams|api4.nozbe.com/v1/api/tasks|{b62:20}_{b62:30}|G|raw|api_token|
numverify|numverify|apilayer.net/api/validate|{hex:32}|D|q|access_key|
nutritionix|Nutritionix|trackapi.nutritionix.com/v2/natural/nutrients|{hex:32}|D|h:x-app-key|app_key|x-app-id={hex:8}
onedesk|OneDesk|app.onedesk.com/rest/public/items|{pw}|G|basicp|password|email={email}
onepagecrm|OnePageCRM|app.onepagecrm.com/api/v3/contacts|{b64:44}|G|basicp|api_key|user_id={hex:24}
onwaterio|OnWater|api.onwater.io/api/v1/results/41.6,-87.7|{b64u:20}|G|q|access_token|
oopspam|OOPSpam|api.oopspam.com/v1/spamdetection|{b62:40}|G|h:X-Api-Key|api_key|
opengraphr|OpenGraphr|api.opengraphr.com/v1/og|{b62:64}|G|q|api_token|
openuv|OpenUV|api.openuv.io/api/v1/uv|openuv-{lower:20}-io|D|h:x-access-token|api_key|
openvpn|CloudConnexa|acme.api.openvpn.com/api/beta/oauth/token|{b62:32}|G|basicp|client_secret|client_id={b62:32}
owlbot|Owlbot|owlbot.info/api/v4/dictionary/owl|{hex:40}|G|h:Authorization:Token |token|
pandascore|PandaScore|api.pandascore.co/matches|{b64u:50}|G|bearer|token|
paperform|Paperform|api.paperform.co/v1/forms|{jwt}|G|bearer|api_key|
paralleldots|ParallelDots|apis.paralleldots.com/v4/sentiment|{b62:43}|G|q|api_key|
parsehub|ParseHub|www.parsehub.com/api/v2/projects|{b62:12}|G|q|api_key|
parseur|Parseur|api.parseur.com/parser|{hex:40}|G|raw|api_key|
partnerstack|PartnerStack|api.partnerstack.com/api/v2/partnerships|{hex:32}|G|basicp|private_key|public_key={hex:32}
passbase|Passbase|api.passbase.com/verification/v1/identities|{b62:64}|G|h:X-API-KEY|secret_api_key|
paydirtapp|Paydirt|paydirtapp.com/api/v1/clients|{hex:32}|G|q|api_key|
paymoapp|Paymo|app.paymoapp.com/api/projects|{hex:32}|G|basic|api_key|
pdflayer|pdflayer|api.pdflayer.com/api/convert|{hex:32}|D|q|access_key|
pdfshift|PDFShift|api.pdfshift.io/v3/convert/pdf|{hex:32}|G|basicu:api|api_key|
pepipost|Pepipost|api.pepipost.com/v5/mail/send|{hex:32}|G|h:api_key|api_key|
pinata|Pinata|api.pinata.cloud/data/testAuthentication|{hex:64}|D|h:pinata_secret_api_key|pinata_secret_api_key|pinata_api_key={hex:20}
planviewleankit|Planview LeanKit|acme.leankit.com/io/board|{hex:128}|G|bearer|api_token|
planyo|Planyo|www.planyo.com/rest/|{hex:62}|G|q|api_key|
podio|Podio|api.podio.com/oauth/token/v2|{b62:64}|G|q|client_secret|client_id={word}-{digits:3}
pollsapi|PollsAPI|api.pollsapi.com/v1/get/polls|{upper:28}|G|h:api-key|api_key|
poloniex|Poloniex|api.poloniex.com/accounts/balances|{hex:128}|G|sign|secret|key={upper:8}-{upper:8}-{upper:8}-{upper:8}
postageapp|PostageApp|api.postageapp.com/v.1.0/send_message.json|{b62:32}|G|json|api_key|
postbacks|Postbacks|api.postbacks.io/v1/requests|{b62:40}|G|bearer|api_key|
powrbot|Powrbot|powrbot.com/api/v1/search/single/|{b62:40}|G|h:Authorization:Token |api_token|
privacy|Privacy.com|api.privacy.com/v1/cards|{uuid}|G|h:Authorization:api-key |api_key|
prodpad|ProdPad|api.prodpad.com/v1/ideas|{hex:64}|G|bearer|api_key|
prospectcrm|Prospect CRM|api.prospect365.com/v1/contacts|{uuid}|G|bearer|api_key|
protocolsio|protocols.io|www.protocols.io/api/v3/session/protocols|{hex:64}|G|bearer|access_token|
purestake|PureStake|mainnet-algorand.api.purestake.io/ps2/v2/status|{b62:40}|G|h:X-API-Key|api_key|
qualaroo|Qualaroo|api.qualaroo.com/api/v1/nudges/|{b62:32}|G|basicp|api_secret|api_key={digits:8}
qubole|Qubole|api.qubole.com/api/v1.2/commands|{hex:64}|G|h:X-AUTH-TOKEN|auth_token|
quickmetrics|Quickmetrics|qckm.io/|{b62:22}|G|h:x-qm-key|api_key|
rawg|RAWG|api.rawg.io/api/games|{hex:32}|G|q|key|
reachmail|ReachMail|services.reachmail.net/administration/users/current|{b62:64}|G|bearer|api_token|
reallysimplesystems|Really Simple Systems|api.reallysimplesystems.com/accounts|{jwt}|G|bearer|api_key|
rechargepayments|Recharge|api.rechargeapps.com/subscriptions|{hex:64}|G|h:X-Recharge-Access-Token|access_token|
refiner|Refiner|api.refiner.io/v1/contacts|{uuid}|G|bearer|api_key|
rentman|Rentman|api.rentman.net/contacts|{jwt}|G|bearer|api_token|
repairshopr|RepairShopr|acme.repairshopr.com/api/v1/customers|{hex:32}|G|bearer|api_key|
restpack|Restpack|restpack.io/api/screenshot/v7/capture|{b62:48}|G|h:x-access-token|access_token|
revampcrm|Revamp CRM|app.revampcrm.com/api/1.0/contacts|{hex:40}|G|basicp|api_key|email={email}
ritekit|RiteKit|api.ritekit.com/v1/stats/multiple-hashtags|{hex:44}|G|q|client_id|
roaring|Roaring|api.roaring.io/token|{b62:28}|G|basicp|client_secret|client_id={b62:28}
rocketreach|RocketReach|api.rocketreach.co/api/v2/account/|{hex:39}|G|h:Api-Key|api_key|
roninapp|Ronin|acme.roninapp.com/clients|{b62:26}|G|basic|api_token|
route4me|Route4Me|api.route4me.com/api.v4/optimization_problem.php|{HEX:32}|D|q|api_key|
rownd|Rownd|api.rownd.io/applications/current/users/data|{hex:48}|G|h:x-rownd-app-secret|app_secret|app_key={uuid}
runrunit|Runrun.it|runrun.it/api/v1.0/tasks|{b62:20}|G|h:User-Token|user_token|app_key={hex:32}
salesblink|SalesBlink|run.salesblink.io/api/v1/sequences|{b62:32}|G|raw|api_key|
salescookie|SalesCookie|salescookie.com/app/api/v1/transactions|{hex:32}|G|raw|api_key|
salesflare|Salesflare|api.salesflare.com/contacts|{b64u:43}|G|bearer|api_key|
salesmate|Salesmate|acme.salesmate.io/apis/v3/contacts|{uuid}|G|h:accessToken|access_token|
satismeter|SatisMeter|app.satismeter.com/api/v2/responses|{b62:32}|G|basic|write_key|project_id={hex:24}
scrapeowl|ScrapeOwl|api.scrapeowl.com/v1/scrape|{b62:30}|G|q|api_key|
scraperbox|ScraperBox|api.scraperbox.com/scrape|{HEX:32}|G|q|api_key|
scrapestack|scrapestack|api.scrapestack.com/scrape|{hex:32}|D|q|access_key|
scrapfly|Scrapfly|api.scrapfly.io/scrape|scp-live-{hex:32}|D|q|key|
scrapingant|ScrapingAnt|api.scrapingant.com/v2/general|{hex:32}|G|q|x-api-key|
screenshotapi|ScreenshotAPI.net|shot.screenshotapi.net/screenshot|{upper:28}|G|q|token|
screenshotlayer|screenshotlayer|api.screenshotlayer.com/api/capture|{hex:32}|D|q|access_key|
selectpdf|SelectPdf|selectpdf.com/api2/convert/|{uuid}|G|q|key|
serphouse|SERPHouse|api.serphouse.com/serp/live|{b62:60}|G|bearer|api_token|
serpstack|serpstack|api.serpstack.com/search|{hex:32}|D|q|access_key|
sheety|Sheety|api.sheety.co/acme/budget/expenses|{b62:32}|G|bearer|token|
sherpadesk|SherpaDesk|api.sherpadesk.com/tickets|{lower:32}|G|basicp|api_token|org_instance={lower:8}-{lower:8}
shipday|Shipday|api.shipday.com/orders|{b62:32}|G|h:Authorization:Basic |api_key|
signable|Signable|api.signable.co.uk/v1/envelopes|{hex:32}|G|basic|api_key|
signalwire|SignalWire|acme.signalwire.com/api/laml/2010-04-01/Accounts|PT{hex:48}|D|basicp|api_token|project_id={uuid}
signaturit|Signaturit|api.signaturit.com/v3/signatures.json|{b62:64}|G|bearer|access_token|
signupgenius|SignUpGenius|api.signupgenius.com/v2/k/user/profile|{b62:40}|G|q|user_key|
sigopt|SigOpt|api.sigopt.com/v1/experiments|{upper:48}|G|basic|api_token|
simfin|SimFin|backend.simfin.com/api/v3/companies/general|{uuid}|G|h:Authorization:api-key |api_key|
simplesat|Simplesat|api.simplesat.io/api/answers/|{hex:40}|G|h:X-Simplesat-Token|api_token|
simplynoted|SimplyNoted|api.simplynoted.com/api/orders|{jwt}|G|bearer|api_token|
simvoly|Simvoly|api.simvoly.com/v1/sites|{b62:40}|G|bearer|api_key|
sirv|Sirv|api.sirv.com/v2/token|{b64:86}==|G|json|client_secret|client_id={b62:27}
siteleaf|Siteleaf|api.siteleaf.com/v2/sites|{hex:32}|G|basicp|api_secret|api_key={hex:32}
skrappio|Skrapp.io|api.skrapp.io/api/v2/find|{b62:40}|G|h:X-Access-Key|api_key|
skybiometry|SkyBiometry|api.skybiometry.com/fc/faces/detect.json|{b62:25}|G|q|api_secret|api_key={b62:25}
smooch|Sunshine Conversations|api.smooch.io/v2/apps|{b64u:86}|D|basicp|secret|key_id=app_{hex:24}
snipcart|Snipcart|app.snipcart.com/api/orders|{b64:64}|G|basic|secret_api_key|
speechtextai|Speechtext.ai|api.speechtext.ai/recognize|{hex:32}|G|q|key|
spoonacular|Spoonacular|api.spoonacular.com/recipes/complexSearch|{hex:32}|G|q|apiKey|
sportsmonk|Sportmonks|api.sportmonks.com/v3/football/fixtures|{b62:60}|G|q|api_token|
statuspal|Statuspal|statuspal.io/api/v2/status_pages/acme/incidents|{b62:32}|G|raw|api_key|
stockdata|StockData.org|api.stockdata.org/v1/data/quote|{b62:40}|G|q|api_token|
storecove|Storecove|api.storecove.com/api/v2/document_submissions|{b64u:43}|G|bearer|api_key|
stormboard|Stormboard|api.stormboard.com/users/profile|{hex:40}|G|h:X-API-Key|api_key|
stormglass|Stormglass|api.stormglass.io/v2/weather/point|{uuid}-{uuid}|G|raw|api_key|
storychief|StoryChief|api.storychief.io/1.0/stories|{jwt}|G|bearer|api_key|
sugester|Sugester|acme.sugester.com/app/api/clients.json|{b62:20}|G|q|api_token|
supernotesapi|Supernotes|api.supernotes.app/v1/cards/get/select|{b64u:43}|G|h:Api-Key|api_key|
surveyanyplace|Survey Anyplace|api.surveyanyplace.com/v1/surveys|{hex:32}|G|h:Authorization:API |api_key|
surveybot|SurveyBot|surveybot.io/api/v1/surveys|{b62:32}|G|h:X-Api-Key|api_key|
surveysparrow|SurveySparrow|api.surveysparrow.com/v1/surveys|{b62:64}|G|bearer|access_token|
survicate|Survicate|data-api.survicate.com/v1/surveys|{hex:32}|G|h:Authorization:Basic |api_key|
swell|Swell|api.swell.store/products|sk_{b62:32}|D|basicp|secret_key|store_id={word}
tallyfy|Tallyfy|go.tallyfy.com/api/organizations|{jwt}|G|bearer|access_token|
tatumio|Tatum|api.tatum.io/v3/ledger/account|{uuid}|G|h:x-api-key|api_key|
teamgate|Teamgate|api.teamgate.com/v4/deals|{b62:80}|G|h:X-Auth-Token|auth_token|app_key={b62:20}
technicalanalysisapi|Technical Analysis API|technical-analysis-api.com/api/v1/analysis/AAPL|{upper:32}|G|q|apiKey|
tefter|Tefter|tefter.io/api/bookmarks|{hex:24}|G|bearer|api_token|
teletype|Teletype|api.teletype.app/v1/projects|{b62:40}|G|bearer|api_token|
text2data|Text2Data|api.text2data.com/v3/analyze|{uuid}|G|json|PrivateKey|
theoddsapi|The Odds API|api.the-odds-api.com/v4/sports|{hex:32}|G|q|apiKey|
thinkific|Thinkific|api.thinkific.com/api/public/v1/users|{hex:32}|G|h:X-Auth-API-Key|api_key|subdomain={word}
thousandeyes|ThousandEyes|api.thousandeyes.com/v7/tests|{uuid}|G|bearer|oauth_bearer_token|
ticketmaster|Ticketmaster|app.ticketmaster.com/discovery/v2/events.json|{b62:32}|G|q|apikey|
timezoneapi|TimezoneAPI|timezoneapi.io/api/ip/|{lower:20}|G|q|token|
tmetric|TMetric|app.tmetric.com/api/v3/user|{HEX:64}|G|bearer|api_token|
tokeet|Tokeet|capi.tokeet.com/v1/rental|{b62:40}|G|raw|api_key|account={word}-{digits:4}
travelpayouts|Travelpayouts|api.travelpayouts.com/v2/prices/latest|{hex:32}|G|h:X-Access-Token|token|
twist|Twist|api.twist.com/api/v3/users/get_session_user|{hex:40}|G|bearer|access_token|
tyntec|tyntec|api.tyntec.com/messaging/v1/messages|{b62:32}|G|h:apikey|api_key|
typetalk|Typetalk|typetalk.com/api/v1/profile|{b62:64}|G|h:X-Typetalk-Token|token|
uclassify|uClassify|api.uclassify.com/v1/uclassify/sentiment/classify|{b62:12}|G|h:Authorization:Token |read_key|
unifyid|UnifyID|api.unify.id/v1/|{b64:44}|G|h:X-API-Key|api_key|
unplugg|Unplugg|api.unplu.gg/forecast|{hex:64}|G|h:x-access-token|api_token|
uplead|UpLead|api.uplead.com/v2/company-search|{hex:32}|G|raw|api_key|
upwave|Upwave|api.upwave.io/workspaces/|{hex:32}|G|h:Authorization:Token |api_token|
userflow|Userflow|api.userflow.com/users|ak_{lower:26}|D|bearer|api_key|
vatlayer|vatlayer|apilayer.net/api/validate|{hex:32}|D|q|access_key|
vbout|VBOUT|api.vbout.com/1/app/me.json|{b62:25}|G|q|key|
verifier|Verifier|verifier.meetchopra.com/verify/jane.doe@example.org|{hex:96}|G|q|token|
verimail|Verimail|api.verimail.io/v3/verify|{HEX:32}|G|q|key|
versioneye|VersionEye|www.versioneye.com/api/v2/me|{lower:20}|G|q|api_key|
viewneo|viewneo|cloud.viewneo.com/api/v1.0/playlist|{b62:43}|G|bearer|api_token|
voicegain|Voicegain|api.voicegain.ai/v1/asr/transcribe|{jwt}|G|bearer|jwt_token|
voodoosms|VoodooSMS|api.voodoosms.com/sendsms|{b62:40}|G|bearer|api_key|
vouchery|Vouchery|acme.vouchery.io/api/v2.0/campaigns|{jwt}|G|bearer|api_key|
vpnapi|vpnapi.io|vpnapi.io/api/8.8.8.8|{hex:32}|G|q|key|
vyte|Vyte|api.vyte.in/v2/events|{hex:32}|G|raw|api_key|
walkscore|Walk Score|api.walkscore.com/score|{hex:32}|G|q|wsapikey|
weatherbit|Weatherbit|api.weatherbit.io/v2.0/current|{hex:32}|G|q|key|
webscraper|Web Scraper Cloud|api.webscraper.io/api/v1/sitemaps|{b62:60}|G|q|api_token|
webscraping|WebScraping.AI|api.webscraping.ai/html|{uuid}|G|q|api_key|
websitepulse|WebSitePulse|api.websitepulse.com/textserver.php|{hex:32}|G|q|key|username={word}
wepay|WePay|wepayapi.com/v2/user|PRODUCTION_{hex:64}|D|bearer|access_token|
whoxy|Whoxy|api.whoxy.com/|{hex:33}|G|q|key|
workstack|Workstack|app.workstack.io/api/tasks|{b62:60}|G|bearer|api_token|
worldcoinindex|WorldCoinIndex|www.worldcoinindex.com/apiservice/ticker|{b62:35}|G|q|key|
worldweather|World Weather Online|api.worldweatheronline.com/premium/v1/weather.ashx|{hex:31}|G|q|key|
youneedabudget|YNAB|api.ynab.com/v1/budgets|{hex:64}|G|bearer|access_token|
yousign|Yousign|api.yousign.app/v3/signature_requests|{b62:32}|G|bearer|api_key|
zenkitapi|Zenkit|zenkit.com/api/v1/users/me|{b62:40}|G|h:Zenkit-API-Key|api_key|
zenscrape|Zenscrape|app.zenscrape.com/api/v1/get|{uuid}|G|q|apikey|
zenserp|Zenserp|app.zenserp.com/api/v2/search|{uuid}|G|q|apikey|
zeplin|Zeplin|api.zeplin.dev/v1/users/me|{jwt}|D|bearer|personal_access_token|
zipapi|ZipAPI.us|service.zipapi.us/zipcode/90210|{hex:32}|G|q|X-API-KEY|
zipbooks|ZipBooks|api.zipbooks.com/v2/auth/login|{pw}|G|json|password|email={email}
zipcodeapi|ZipCodeAPI|www.zipcodeapi.com/rest/{KEY}/distance.json/84010/97229/km|{b62:64}|G|path|api_key|
zipcodebase|Zipcodebase|app.zipcodebase.com/api/v1/search|{uuid}|G|q|apikey|
zonkafeedback|Zonka Feedback|us1.apis.zonkafeedback.com/responses|{b62:32}|G|h:Z-API-TOKEN|api_token|
"""


class Provider:
    def __init__(self, line):
        f = line.split("|")
        self.name, self.disp, base, self.tmpl, self.doc, self.auth, self.kn, pair = f
        self.base = "https://" + base
        self.host = base.split("/")[0]
        self.documented = self.doc == "D"
        self.env = re.sub(r"[^A-Z0-9]", "_", self.name.upper())
        cls = re.sub(r"[^A-Za-z0-9]", "", self.disp.title() if self.disp.islower() else self.disp)
        self.cls = cls if cls[:1].isalpha() else self.name.capitalize()
        self.pair = tuple(pair.split("=", 1)) if pair else None


def load_providers():
    return [Provider(l) for l in PROVIDERS.strip().splitlines() if l.strip()]


# ---------------------------------------------------------------------------------------
# Random values.
HEX = "0123456789abcdef"
B62 = string.ascii_letters + string.digits
LOWER = string.ascii_lowercase + string.digits
UPPER = string.ascii_uppercase + string.digits
B64 = B62 + "+/"
B64U = B62 + "-_"
ALPHABETS = {"hex": HEX, "HEX": HEX.upper(), "b62": B62, "lower": LOWER, "upper": UPPER,
             "digits": string.digits, "b64": B64, "b64u": B64U}
WORDS = ["acme", "northwind", "contoso", "globex", "initech", "umbrella", "hooli", "vandelay",
         "stark", "wayne", "tyrell", "cyberdyne", "soylent", "wonka", "gringotts", "monarch"]
FIRST = ["jane", "john", "maria", "li", "ahmed", "olga", "pedro", "sara", "ken", "nina"]


def entropy(s):
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in (s.count(ch) for ch in set(s))) if n else 0.0


def rand_part(rng, alphabet, n):
    """A random run that looks random: its entropy close to what its alphabet allows and
    no character four times in a row (a draw that fails is redrawn)."""
    want = 0.8 * min(math.log2(len(alphabet)), math.log2(max(n, 2)))
    while True:
        s = "".join(rng.choice(alphabet) for _ in range(n))
        if entropy(s) >= want and not re.search(r"(.)\1\1\1", s):
            return s


def uuid4(rng):
    return uuid_from_hex(rand_part(rng, HEX, 32), rng.choice("89ab"))


def jwt(rng, p):
    head = b64url(json.dumps({"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}, separators=(",", ":")).encode())
    iat = rng.randint(1_600_000_000, 1_760_000_000)
    claims = {"sub": uuid4(rng) if rng.random() < 0.5 else str(rng.randint(1000, 9_999_999)),
              "iss": p.host, "iat": iat}
    if rng.random() < 0.6:
        claims["exp"] = iat + rng.choice([3600, 86400, 31_536_000])
    if rng.random() < 0.4:
        claims["scope"] = rng.choice(["api", "read write", "full_access"])
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = rand_part(rng, B64U, 43 if head.startswith("eyJhbGciOiJIUzI1NiI") else 86)
    return f"{head}.{body}.{sig}"


def password(rng):
    while True:
        s = "".join(rng.choice(B62 + "!#%&*-_.@") for _ in range(16))
        if entropy(s) > 3.5 and re.search(r"\d", s) and re.search(r"[A-Z]", s) and re.search(r"[^A-Za-z0-9]", s):
            return s


def email(rng):
    return f"{rng.choice(FIRST)}.{rng.choice(['ops', 'dev', 'billing', 'it', 'admin'])}@{rng.choice(WORDS)}-example.com"


def render(rng, tmpl, p, fill=None):
    """The template's value; with `fill`, each random run is replaced by fill(kind, n)
    instead (how a placeholder or a low-entropy look-alike of the same shape is made)."""
    def part(m):
        kind, _, n = m.group(1).partition(":")
        n = int(n) if n else 0
        if fill is not None:
            if kind in ("uuid", "UUID"):
                return "-".join(fill("hex", k) for k in (8, 4, 4, 4, 12))
            if kind == "jwt":
                return ".".join(fill("b64u", k) for k in (20, 40, 43))
            if kind in ("pw", "email", "word"):
                return fill("b62", 16)
            return fill(kind, n)
        if kind == "uuid":
            return uuid4(rng)
        if kind == "UUID":
            return uuid4(rng).upper()
        if kind == "jwt":
            return jwt(rng, p)
        if kind == "pw":
            return password(rng)
        if kind == "email":
            return email(rng)
        if kind == "word":
            return rng.choice(WORDS)
        if kind == "digits":
            return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))
        return rand_part(rng, ALPHABETS[kind], n)
    return re.sub(r"\{([A-Za-z0-9]+(?::\d+)?)\}", part, tmpl)


# ---------------------------------------------------------------------------------------
# Helpers for the host snippets.
def pick(rng, *xs):
    return rng.choice(xs)


def key_word(rng, p):
    """How a snippet names the credential: the provider's own word or a common one."""
    return pick(rng, p.kn, p.kn, "api_key", "token", "secret", "key", "access_key", "apikey", "api_token")


def env_suffix(rng, p):
    own = re.sub(r"[^A-Z0-9]", "_", p.kn.upper())
    return pick(rng, "API_KEY", "API_KEY", "KEY", "TOKEN", "SECRET", "ACCESS_KEY", "API_TOKEN", "APIKEY", "SECRET_KEY", own)


def camel(s):
    parts = re.split(r"[^A-Za-z0-9]+", s)
    return parts[0].lower() + "".join(x[:1].upper() + x[1:] for x in parts[1:])


def header_for(rng, p, s, own=0.75):
    """(header name, header value) the provider's way, or a common way."""
    a = p.auth
    if rng.random() < own:
        if a.startswith("h:"):
            _, name, *prefix = a.split(":", 2)
            return name, (prefix[0] if prefix else "") + s
        if a == "bearer":
            return "Authorization", "Bearer " + s
        if a == "raw":
            return "Authorization", s
    return pick(rng, ("X-Api-Key", s), ("Authorization", "Bearer " + s), ("Authorization", "Token " + s),
                ("X-API-KEY", s), ("apikey", s), ("X-Auth-Token", s), ("Authorization", f"Token token={s}"))


def query_param(rng, p):
    if p.auth == "q":
        return p.kn
    return pick(rng, "access_key", "api_key", "apikey", "key", "token", "apiKey")


def url_with_key(rng, p, s):
    if p.auth == "path" and rng.random() < 0.8:
        return p.base.replace("{KEY}", s)
    base = p.base.replace("{KEY}", "latest")
    extra = pick(rng, "", "", "&limit=10", "&format=json", "&lang=en", "&page=2")
    sep = "&" if "?" in base else "?"
    if rng.random() < 0.3 and extra:
        return f"{base}{sep}{extra[1:]}&{query_param(rng, p)}={s}"
    return f"{base}{sep}{query_param(rng, p)}={s}{extra}"


def clean_base(p):
    return p.base.replace("{KEY}", "latest")


def with_idx(lines, s):
    """The lines and the 0-based index of the (only) line holding the secret."""
    hits = [i for i, l in enumerate(lines) if s in l]
    assert len(hits) == 1, (hits, lines)
    return lines, hits[0]


# ---------------------------------------------------------------------------------------
# Positive styles: each returns (lines, index of the secret's line, language extension).
def st_log(rng, p, s, pair):
    word = pick(rng, "Key", "Token", "Secret", "ApiKey", "apikey", "access key", "API key", "auth token")
    ts = pick(rng, "", "2024-03-14 09:21:07 ", "2025-01-02T17:45:33Z ", "Jun 11 04:02:19 ")
    first = pick(rng, f"[INFO] Sending request to the {p.disp} API",
                 f"[INFO] Connecting to {p.host}",
                 f"[INFO] {p.disp} client initialised",
                 f"INFO  sync.{p.name}: starting import from {p.disp}")
    hname, hvalue = header_for(rng, p, s)
    use = pick(rng, f"[DEBUG] Using {word}={s}", f"[DEBUG] Using {word}: {s}",
               f"[DEBUG] {p.disp} {word.lower()} {s}", f"DEBUG sync.{p.name}: {word.lower().replace(' ', '_')}={s}",
               f"[DEBUG] request header {hname}: {hvalue}")
    lines = [ts + first, ts + use]
    if rng.random() < 0.5:
        lines.append(ts + pick(rng, "[INFO] Response 200 OK in 134ms", "[WARN] rate limit: 58 of 60 requests left",
                               f"[INFO] fetched {rng.randint(2, 500)} records"))
    if rng.random() < 0.3:
        lines.insert(0, ts + "[INFO] job started (worker 3)")
    return with_idx(lines, s) + ("log",)


def st_json_flat(rng, p, s, pair):
    k = pick(rng, f"{p.name}_secret", f"{p.name}_api_key", f"{p.name}_token", f"{p.name}_key",
             f"{p.name}Key", f"{camel(p.name)}ApiKey", f"{p.name}-api-key", f"{p.env}_API_KEY")
    if rng.random() < 0.4:
        return with_idx([json.dumps({k: s})], s) + ("json",)
    d = {"name": pick(rng, "reporting", "billing-sync", "website"), k: s}
    if rng.random() < 0.5:
        d[f"{p.name}_url"] = "https://" + p.host
    return with_idx(json.dumps(d, indent=2).split("\n"), s) + ("json",)


def st_json_nested(rng, p, s, pair):
    inner = {key_word(rng, p): s}
    r = rng.random()
    if r < 0.3:
        inner = {"base_url": "https://" + p.host, **inner}
    elif r < 0.6:
        inner["timeout"] = rng.choice([10, 30, 60])
    top = pick(rng, p.name, p.cls, camel(p.name))
    d = {top: inner} if rng.random() < 0.6 else {pick(rng, "integrations", "services", "providers"): {top: inner}}
    return with_idx(json.dumps(d, indent=pick(rng, 2, 4)).split("\n"), s) + ("json",)


def st_dotenv(rng, p, s, pair):
    q = pick(rng, "", "", '"', "'")
    line = f"{p.env}_{env_suffix(rng, p)}={q}{s}{q}"
    lines = [line]
    if rng.random() < 0.7:
        lines = pick(rng, ["APP_ENV=production", "LOG_LEVEL=info"], ["# " + p.disp], ["NODE_ENV=development"]) + lines
    if rng.random() < 0.5:
        lines.append(f"{p.env}_BASE_URL=https://{p.host}")
    return with_idx(lines, s) + ("env",)


def st_bare_name(rng, p, s, pair):
    v = rng.randrange(7)
    if v == 0:
        return with_idx([f'{p.name} = "{s}"'], s) + ("py",)
    if v == 1:
        return with_idx(["{", f'  "{p.name}": "{s}"', "}"], s) + ("json",)
    if v == 2:
        return with_idx([f"const {p.name} = '{s}';", f"module.exports = {{ {p.name} }};"], s) + ("js",)
    if v == 3:
        return with_idx([f"{p.name}: {s}"], s) + ("yaml",)
    if v == 4:
        return with_idx(["[tokens]", f'{p.name} = "{s}"'], s) + ("toml",)
    if v == 5:
        return with_idx([f"{p.name} := \"{s}\""], s) + ("go",)
    return with_idx([f"{p.name}={s}"], s) + ("cfg",)


def st_client(rng, p, s, pair):
    v = rng.randrange(8)
    if v == 0:
        return with_idx([f"import {{ {p.cls}Client }} from '{p.name}';", "",
                         f'const client = new {p.cls}Client("{s}");'], s) + ("js",)
    if v == 1:
        return with_idx([f"const {camel(p.name)} = new {p.cls}({{ apiKey: '{s}' }});"], s) + ("ts",)
    if v == 2:
        return with_idx([f"from {p.name} import {p.cls}", "",
                         f'client = {p.cls}(api_key="{s}")'], s) + ("py",)
    if v == 3:
        return with_idx([f"import {p.name}", "", f"{p.name}.{pick(rng, 'api_key', 'token', 'key')} = '{s}'"], s) + ("py",)
    if v == 4:
        return with_idx(["func init() {", f'\tos.Setenv("{p.env}_{pick(rng, "KEY", "API_KEY", "TOKEN")}", "{s}")', "}"], s) + ("go",)
    if v == 5:
        return with_idx([f"{p.cls}Client client = new {p.cls}Client(\"{s}\");"], s) + ("java",)
    if v == 6:
        return with_idx([f"require '{p.name}'", "", f"client = {p.cls}::Client.new(api_key: '{s}')"], s) + ("rb",)
    return with_idx(["<?php", f"$client = new {p.cls}Client('{s}');"], s) + ("php",)


def st_curl(rng, p, s, pair):
    url = clean_base(p)
    a = p.auth
    if a.startswith("basic") and rng.random() < 0.7:
        user = (pair[1] + ":" + s) if a == "basicp" and pair else (":" + s) if a == "basic0" else \
            (a.split(":", 1)[1] + ":" + s) if a.startswith("basicu:") else (s + ":")
        lines = [f"curl {url} \\", f"  -u '{user}'"]
    elif a == "json" and rng.random() < 0.7:
        body = {p.kn: s}
        if pair:
            body = {pair[0]: pair[1], p.kn: s}
        lines = [f"curl -X POST {url} \\", "  -H 'Content-Type: application/json' \\", f"  -d '{json.dumps(body)}'"]
    else:
        name, value = header_for(rng, p, s)
        q = pick(rng, '"', "'")
        lines = [f"curl {pick(rng, '', '-s ', '-X GET ', '--request GET ')}{q}{url}{q} \\",
                 f"  -H {q}{name}: {value}{q}"]
        if rng.random() < 0.5:
            lines[-1] += " \\"
            lines.append(f"  -H {q}Accept: application/json{q}")
    return with_idx(lines, s) + ("sh",)


def st_url(rng, p, s, pair):
    u = url_with_key(rng, p, s)
    v = rng.randrange(6)
    if v == 0:
        return with_idx([u], s) + ("txt",)
    if v == 1:
        return with_idx(["import requests", "", f'r = requests.get("{u}")', "print(r.json())"], s) + ("py",)
    if v == 2:
        return with_idx([f"const res = await fetch(`{u}`);"], s) + ("js",)
    if v == 3:
        return with_idx([f"GET {u}", "Accept: application/json"], s) + ("http",)
    if v == 4:
        return with_idx([f"Example: [{p.disp} request]({u})"], s) + ("md",)
    return with_idx([f'wget -qO- "{u}"'], s) + ("sh",)


def st_yaml(rng, p, s, pair):
    lines = [f"{p.name}:", f"  {key_word(rng, p)}: {pick(rng, s, repr(s), chr(34) + s + chr(34))}"]
    if rng.random() < 0.5:
        lines.insert(1, f"  endpoint: https://{p.host}")
    if rng.random() < 0.4:
        lines = [pick(rng, "integrations:", "services:", "providers:")] + ["  " + l for l in lines]
    return with_idx(lines, s) + ("yaml",)


def st_toml(rng, p, s, pair):
    lines = [f"[{pick(rng, p.name, 'services.' + p.name, 'integrations.' + p.name)}]",
             f'{key_word(rng, p)} = "{s}"']
    if rng.random() < 0.5:
        lines.append(f'base_url = "https://{p.host}"')
    return with_idx(lines, s) + ("toml",)


def st_ini(rng, p, s, pair):
    lines = [f"[{pick(rng, p.name, p.cls, p.disp)}]", f"{key_word(rng, p)} = {s}"]
    if rng.random() < 0.5:
        lines.insert(1, f"url = https://{p.host}")
    return with_idx(lines, s) + (pick(rng, "ini", "cfg", "conf"),)


def st_properties(rng, p, s, pair):
    k = pick(rng, f"{p.name}.api.key", f"{p.name}.token", f"{p.name}.secret", f"{p.name}.{p.kn}",
             f"app.{p.name}.api-key", f"integration.{p.name}.access-key")
    lines = [f"{k}={s}"]
    if rng.random() < 0.6:
        lines.insert(0, f"{p.name}.base-url=https://{p.host}")
    return with_idx(lines, s) + ("properties",)


def st_xml(rng, p, s, pair):
    v = rng.randrange(3)
    if v == 0:
        lines = ["<appSettings>", f'  <add key="{p.cls}ApiKey" value="{s}" />', "</appSettings>"]
        return with_idx(lines, s) + ("config",)
    if v == 1:
        lines = ["<resources>", f'    <string name="{p.name}_api_key">{s}</string>', "</resources>"]
        return with_idx(lines, s) + ("xml",)
    tag = camel(p.kn)
    lines = [f"<{p.name}>", f"  <endpoint>https://{p.host}</endpoint>", f"  <{tag}>{s}</{tag}>", f"</{p.name}>"]
    return with_idx(lines, s) + ("xml",)


def st_comment(rng, p, s, pair):
    v = rng.randrange(5)
    if v == 0:
        return with_idx([f"# {p.name} token: {s}", f"{p.name.upper()}_ENABLED = True"], s) + ("py",)
    if v == 1:
        return with_idx([f"// {p.cls} key {s}", f"export const {camel(p.name)}Enabled = true;"], s) + ("js",)
    if v == 2:
        return with_idx(["/*", f" * {p.disp} API key: {s}", " */"], s) + ("c",)
    if v == 3:
        return with_idx([f"-- {p.name} key: {s}", "SELECT 1;"], s) + ("sql",)
    return with_idx([f"# NOTE: the {p.disp} {pick(rng, 'key', 'secret', 'token')} is {s} (rotate before release)"], s) + ("sh",)


def st_export(rng, p, s, pair):
    v = rng.randrange(4)
    name = f"{p.env}_{env_suffix(rng, p)}"
    if v == 0:
        return with_idx([f"export {name}='{s}'"], s) + ("sh",)
    if v == 1:
        return with_idx(["#!/bin/bash", f'export {name}="{s}"', "exec ./run.sh"], s) + ("sh",)
    if v == 2:
        return with_idx([f'$env:{name} = "{s}"'], s) + ("ps1",)
    return with_idx([f"set -gx {name} {s}"], s) + ("fish",)


def st_cli(rng, p, s, pair):
    v = rng.randrange(4)
    if v == 0:
        return with_idx([f"./sync --{p.name}-key {s} --since 2024-01-01"], s) + ("sh",)
    if v == 1:
        return with_idx([f"{p.name}-cli login --token {s}"], s) + ("sh",)
    if v == 2:
        return with_idx([f"python import_{p.name}.py --{p.name}-api-key={s} --dry-run"], s) + ("sh",)
    return with_idx([f"docker run --rm -e {p.env}_API_KEY={s} acme/{p.name}-exporter:1.2"], s) + ("sh",)


def st_pair(rng, p, s, pair):
    idk, idv = pair
    v = rng.randrange(5)
    ek = lambda k: f"{p.env}_{re.sub(r'[^A-Z0-9]', '_', k.upper())}"
    if v == 0:
        lines = [f"{ek(idk)}={idv}", f"{ek(p.kn)}={s}"]
    elif v == 1:
        lines = [f"{p.name}:", f"  {idk}: {idv}", f"  {p.kn}: {s}"]
    elif v == 2:
        lines = json.dumps({p.name: {idk: idv, p.kn: s}}, indent=2).split("\n")
    elif v == 3:
        lines = [f"{p.name.upper()}_{re.sub(r'[^A-Za-z0-9]', '_', idk).upper()} = \"{idv}\"",
                 f"{p.name.upper()}_{re.sub(r'[^A-Za-z0-9]', '_', p.kn).upper()} = \"{s}\""]
    else:
        lines = [f"{p.disp} credentials", f"  {idk.replace('_', ' ')}: {idv}", f"  {p.kn.replace('_', ' ')}: {s}"]
    return with_idx(lines, s) + (("env", "yaml", "json", "py", "txt")[v],)


def st_compose(rng, p, s, pair):
    name = f"{p.env}_{env_suffix(rng, p)}"
    if rng.random() < 0.5:
        env = [f"      - {name}={s}"]
    else:
        env = [f"      {name}: {pick(rng, s, chr(34) + s + chr(34))}"]
    lines = ["services:", "  worker:", f"    image: acme/{p.name}-worker:{rng.randint(1, 4)}.{rng.randint(0, 9)}",
             "    environment:"] + env
    return with_idx(lines, s) + ("yml",)


def st_terraform(rng, p, s, pair):
    if rng.random() < 0.5:
        lines = [f'variable "{p.name}_api_key" {{', "  type      = string", f'  default   = "{s}"',
                 "  sensitive = true", "}"]
    else:
        lines = [f'provider "{p.name}" {{', f'  {key_word(rng, p).replace("-", "_")} = "{s}"', "}"]
    return with_idx(lines, s) + ("tf",)


def st_http(rng, p, s, pair):
    path = "/" + clean_base(p).split("/", 3)[3] if clean_base(p).count("/") >= 3 else "/"
    name, value = header_for(rng, p, s)
    lines = [f"{pick(rng, 'GET', 'POST')} {path} HTTP/1.1", f"Host: {p.host}", f"{name}: {value}", "Accept: application/json"]
    return with_idx(lines, s) + ("http",)


def st_k8s(rng, p, s, pair):
    lines = ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {p.name}-credentials", "type: Opaque",
             "stringData:", f"  {pick(rng, p.name + '-api-key', p.env + '_TOKEN', 'api-key', p.kn)}: {pick(rng, s, chr(34) + s + chr(34))}"]
    return with_idx(lines, s) + ("yaml",)


def st_php(rng, p, s, pair):
    if rng.random() < 0.5:
        lines = ["<?php", "return [", f"    '{p.name}' => [", f"        '{pick(rng, 'key', 'secret', 'token', p.kn)}' => '{s}',",
                 "    ],", "];"]
    else:
        lines = ["<?php", f"define('{p.env}_API_KEY', '{s}');"]
    return with_idx(lines, s) + ("php",)


def st_const(rng, p, s, pair):
    v = rng.randrange(5)
    if v == 0:
        return with_idx([f"public class {p.cls}Config {{", f'    private static final String {p.env}_API_KEY = "{s}";', "}"], s) + ("java",)
    if v == 1:
        return with_idx([f"internal static class {p.cls}Settings", "{", f'    public const string ApiKey = "{s}";', "}"], s) + ("cs",)
    if v == 2:
        return with_idx([f'const val {p.env}_TOKEN = "{s}"'], s) + ("kt",)
    if v == 3:
        return with_idx([f'let {camel(p.name)}ApiKey = "{s}"'], s) + ("swift",)
    return with_idx([f'const {p.env}_KEY: &str = "{s}";'], s) + ("rs",)


def st_markdown(rng, p, s, pair):
    lines = ["| Service | Variable | Value |", "|---|---|---|",
             f"| {p.disp} | `{p.env}_{env_suffix(rng, p)}` | `{s}` |"]
    if rng.random() < 0.5:
        lines = [f"## {pick(rng, 'Staging credentials', 'Test accounts', 'Integrations')}", ""] + lines
    return with_idx(lines, s) + ("md",)


STYLES = {
    "log": st_log, "json-flat": st_json_flat, "json-nested": st_json_nested, "dotenv": st_dotenv,
    "bare-name": st_bare_name, "client-call": st_client, "curl-header": st_curl, "url-query": st_url,
    "yaml": st_yaml, "toml": st_toml, "ini": st_ini, "properties": st_properties, "xml": st_xml,
    "comment": st_comment, "shell-export": st_export, "cli-flag": st_cli, "pair": st_pair,
    "compose": st_compose, "terraform": st_terraform, "http-request": st_http, "k8s-secret": st_k8s,
    "php-config": st_php, "const-decl": st_const, "markdown-table": st_markdown,
}


def style_fits(style, p):
    if style == "pair":
        return p.pair is not None
    if style in ("curl-header", "url-query", "http-request"):
        return p.auth != "sign"
    return True


# ---------------------------------------------------------------------------------------
# Negatives. Each returns (lines, index of the interesting line, extension, host style, value).
def hold(rng, p, value, quote=True):
    """A decoy value where a key would sit, in one of a few host formats."""
    v = rng.randrange(7)
    name = f"{p.env}_{env_suffix(rng, p)}"
    q = '"' if quote else ""
    if v == 0:
        lines, ext, st = [f"{name}={value}"], "env", "dotenv"
    elif v == 1:
        lines, ext, st = [f"{p.name}:", f"  {key_word(rng, p)}: {q}{value}{q}"], "yaml", "yaml"
    elif v == 2:
        lines, ext, st = json.dumps({p.name: {key_word(rng, p): value}}, indent=2).split("\n"), "json", "json-nested"
    elif v == 3:
        lines, ext, st = [f'{p.name}_{key_word(rng, p).replace("-", "_")} = "{value}"'], "py", "bare-name"
    elif v == 4:
        lines, ext, st = [f"[INFO] Sending request to the {p.disp} API", f"[DEBUG] Using Key={value}"], "log", "log"
    elif v == 5:
        lines, ext, st = [f"curl https://{p.host}/ \\", f'  -H "X-Api-Key: {value}"'], "sh", "curl-header"
    else:
        lines, ext, st = [f"export {name}='{value}'"], "sh", "shell-export"
    idx = next((i for i, l in enumerate(lines) if value in l), 0)
    return lines, idx, ext, st, value


def fill_with(rng, style):
    """One fill pattern per value: a run of x/X/0, or a short cycle (aaaa, 1234567890,
    abcdef...) of each random run's length."""
    x = pick(rng, "x", "X", "0")
    low = pick(rng, "a", "1234567890", "abcdef", "0", "deadbeef", "abc123")

    def f(kind, n):
        if style == "x":
            return ("0" if kind == "digits" else x) * n
        if kind == "digits":
            return ("1234567890" * n)[:n]
        out = (low * n)[:n]
        return out.upper() if kind in ("HEX", "upper") else out
    return f


def dc_placeholder_angle(rng, p):
    return hold(rng, p, pick(rng, "<your-api-key>", f"<YOUR_{p.env}_KEY>", "<insert token here>", f"<{p.name}-api-key>",
                             "<API_KEY>", "<your access key>", f"<{p.name.upper()}_SECRET>"))


def dc_placeholder_caps(rng, p):
    return hold(rng, p, pick(rng, "YOUR_API_KEY_HERE", "REPLACE_ME", "INSERT_KEY_HERE", f"YOUR_{p.env}_TOKEN",
                             "your_access_key", "PUT_YOUR_KEY_HERE", f"{p.env}_API_KEY_GOES_HERE", "your-token-here"))


def dc_placeholder_x(rng, p):
    return hold(rng, p, render(rng, p.tmpl, p, fill_with(rng, "x")))


def dc_env_reference(rng, p):
    name = f"{p.env}_{env_suffix(rng, p)}"
    v = rng.randrange(7)
    if v == 0:
        return hold(rng, p, "${" + name + "}")
    if v == 1:
        lines = [f"const client = new {p.cls}Client(process.env.{name});"]
        return lines, 0, "js", "client-call", f"process.env.{name}"
    if v == 2:
        lines = [f"from {p.name} import {p.cls}", "", f'client = {p.cls}(api_key=os.environ["{name}"])']
        return lines, 2, "py", "client-call", f'os.environ["{name}"]'
    if v == 3:
        lines = [f'key := os.Getenv("{name}")']
        return lines, 0, "go", "client-call", f'os.Getenv("{name}")'
    if v == 4:
        lines = ["env:", f"  {name}: ${{{{ secrets.{name} }}}}"]
        return lines, 1, "yml", "yaml", f"${{{{ secrets.{name} }}}}"
    if v == 5:
        lines = [f"curl https://{p.host}/ \\", f'  -H "Authorization: Bearer ${name}"']
        return lines, 1, "sh", "curl-header", f"${name}"
    lines = [f"{p.name}:", f"  {key_word(rng, p)}: %({name})s"]
    return lines, 1, "ini", "ini", f"%({name})s"


def dc_low_entropy(rng, p):
    return hold(rng, p, render(rng, p.tmpl, p, fill_with(rng, "low")))


def dc_docs_url(rng, p):
    site = p.host.split(".", 1)[1] if p.host.count(".") >= 2 else p.host
    v = rng.randrange(3)
    if v == 0:
        lines = [f"# {p.disp}", "", f"Get an API key at https://{site}/signup, then read",
                 f"https://{site}/docs/authentication before calling https://{p.host}/."]
        return lines, 2, "md", "markdown", f"https://{site}/signup"
    if v == 1:
        lines = [f"# {p.env}_API_KEY: create one at https://{site}/dashboard/api-keys", f"{p.env}_BASE_URL=https://{p.host}"]
        return lines, 0, "env", "dotenv", f"https://{site}/dashboard/api-keys"
    lines = [f"{p.name}:", f"  docs: https://{site}/documentation#authentication", f"  base_url: {clean_base(p)}"]
    return lines, 1, "yaml", "yaml", f"https://{site}/documentation#authentication"


def dc_public_id(rng, p):
    v = rng.randrange(4)
    acct = str(rng.randint(10000, 999999))
    if v == 0:
        lines = [f"{p.env}_ACCOUNT_ID={acct}", f"{p.env}_REGION={pick(rng, 'eu', 'us', 'ap')}"]
        return lines, 0, "env", "dotenv", acct
    if v == 1:
        user = f"{rng.choice(WORDS)}-{pick(rng, 'marketing', 'ops', 'dev', 'support')}"
        lines = json.dumps({p.name: {"username": user, "workspace": rng.choice(WORDS), "plan": "business"}}, indent=2).split("\n")
        return lines, 2, "json", "json-nested", user
    if v == 2:
        lines = [f"{p.name}:", f"  project: {rng.choice(WORDS)}-website", f"  team_id: T{acct}", "  environment: production"]
        return lines, 2, "yaml", "yaml", f"T{acct}"
    lines = [f'{p.name.upper()}_ORG = "{rng.choice(WORDS)}"', f"{p.name.upper()}_ACCOUNT = {acct}"]
    return lines, 1, "py", "bare-name", acct


def dc_version_pin(rng, p):
    ver = f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"
    v = rng.randrange(4)
    if v == 0:
        lines = ["requests==2.31.0", f"{p.name}-python=={ver}", "pydantic>=2"]
        return lines, 1, "txt", "requirements", ver
    if v == 1:
        lines = ["{", '  "dependencies": {', f'    "{p.name}-node": "^{ver}",', '    "express": "^4.19.2"', "  }", "}"]
        return lines, 2, "json", "package-json", ver
    if v == 2:
        lines = ["require (", f"\tgithub.com/{p.name}/{p.name}-go v{ver}", ")"]
        return lines, 1, "mod", "go-mod", ver
    lines = [f"{p.name}:", f"  api_version: \"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-01\"", f"  sdk_version: {ver}"]
    return lines, 2, "yaml", "yaml", ver


def dc_checksum(rng, p):
    h = rand_part(rng, HEX, 64)
    ver = f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    v = rng.randrange(4)
    if v == 0:
        lines = [f"{p.name}-python=={ver} \\", f"    --hash=sha256:{h}"]
        return lines, 1, "txt", "requirements", h
    if v == 1:
        lines = [f"- name: {p.name}-cli", f"  version: {ver}", f"  sha256: {h}"]
        return lines, 2, "yaml", "yaml", h
    if v == 2:
        lines = [f"SHA256 ({p.name}-cli-{ver}-linux-amd64.tar.gz) = {h}"]
        return lines, 0, "txt", "checksums", h
    lines = [f'class {p.cls}Cli < Formula', f'  url "https://github.com/{p.name}/cli/archive/v{ver}.tar.gz"', f'  sha256 "{h}"', "end"]
    return lines, 2, "rb", "homebrew", h


def dc_git_commit(rng, p):
    h = rand_part(rng, HEX, 40)
    v = rng.randrange(4)
    if v == 0:
        lines = ["repos:", f"  - repo: https://github.com/{p.name}/pre-commit-hooks", f"    rev: {h}", "    hooks:", f"      - id: {p.name}-lint"]
        return lines, 2, "yaml", "yaml", h
    if v == 1:
        lines = [f"{p.name}-sdk @ git+https://github.com/acme/{p.name}-python@{h}"]
        return lines, 0, "txt", "requirements", h
    if v == 2:
        lines = [f"commit {h}", "Author: Jane Doe <jane@acme-example.com>", "Date:   Tue Mar 5 10:12:44 2024 +0100", "",
                 f"    Bump {p.disp} client to the v2 API"]
        return lines, 0, "txt", "git-log", h
    lines = ["{", f'  "{p.name}-node": {{', f'    "resolved": "git+ssh://git@github.com/acme/{p.name}-node.git#{h}"', "  }", "}"]
    return lines, 2, "json", "package-lock", h


def dc_trace_uuid(rng, p):
    u = uuid4(rng)
    v = rng.randrange(4)
    if v == 0:
        d = {"level": "info", "msg": f"{p.disp} request completed", pick(rng, "request_id", "requestId"): u, "status": 200}
        return [json.dumps(d)], 0, "log", "log", u
    if v == 1:
        lines = ["HTTP/1.1 200 OK", "Content-Type: application/json", f"X-Request-Id: {u}"]
        return lines, 2, "http", "http-request", u
    if v == 2:
        lines = [f"[INFO] {p.disp} webhook received", f"[INFO] trace_id={u} user_id={uuid4(rng)}"]
        return lines, 1, "log", "log", u
    lines = json.dumps({"event": f"{p.name}.sync.finished", "user_id": u, "correlation_id": uuid4(rng)}, indent=2).split("\n")
    return lines, 2, "json", "json-flat", u


def dc_redacted(rng, p):
    pre = re.match(r"[A-Za-z]*[_-]", p.tmpl)
    pre = pre.group(0) if pre and not pre.group(0).startswith("{") else ""
    return hold(rng, p, pick(rng, f"{pre or 'sk_'}****", "****************", "[REDACTED]", "<redacted>",
                             "••••••••••••", f"{pre}{'*' * rng.randint(12, 32)}", "***"))


def dc_truncated(rng, p):
    a, b = rand_part(rng, LOWER, 4), rand_part(rng, LOWER, 4)
    v = rng.randrange(3)
    if v == 0:
        return hold(rng, p, f"{a}...{b}")
    if v == 1:
        return hold(rng, p, f"{a}…{b}")
    lines = [f"[INFO] {p.disp} key ending in {b} was rotated", "[INFO] next rotation in 90 days"]
    return lines, 0, "log", "log", b


def dc_fake_fixture(rng, p):
    val = pick(rng, f"fake-{p.name}-key", "test_key_123", "dummy-token", "not-a-real-key", f"{p.name}-test-token",
               "fake_api_key_for_tests", "example-key")
    v = rng.randrange(3)
    if v == 0:
        lines = ["# fixture: fake credentials for unit tests", f'FAKE_{p.env}_KEY = "{val}"']
        return lines, 1, "py", "bare-name", val
    if v == 1:
        lines = [f"describe('{p.cls}Client', () => {{", f"  const client = new {p.cls}Client('{val}'); // fake key",
                 "});"]
        return lines, 1, "js", "client-call", val
    return hold(rng, p, val)


def dc_empty(rng, p):
    v = rng.randrange(5)
    name = f"{p.env}_{env_suffix(rng, p)}"
    if v == 0:
        return [f"{name}="], 0, "env", "dotenv", ""
    if v == 1:
        return [f"{p.name}:", f'  {key_word(rng, p)}: ""'], 1, "yaml", "yaml", ""
    if v == 2:
        return json.dumps({p.name: {key_word(rng, p): None}}, indent=2).split("\n"), 2, "json", "json-nested", "null"
    if v == 3:
        return [f"{p.name.upper()}_API_KEY = None  # set in production"], 0, "py", "bare-name", "None"
    return hold(rng, p, pick(rng, "changeme", "CHANGEME", "TODO", "none"))


def dc_image_digest(rng, p):
    h = rand_part(rng, HEX, 64)
    v = rng.randrange(2)
    if v == 0:
        lines = ["services:", f"  {p.name}-agent:", f"    image: {p.name}/agent@sha256:{h}"]
        return lines, 2, "yml", "compose", h
    lines = [f"FROM ghcr.io/acme/{p.name}-worker@sha256:{h}", "CMD [\"/app/worker\"]"]
    return lines, 0, "dockerfile", "dockerfile", h


def dc_sri(rng, p):
    v = rng.randrange(2)
    if v == 0:
        b = base64.b64encode(bytes(rng.randrange(256) for _ in range(64))).decode()
        ver = f"{rng.randint(1, 6)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
        lines = json.dumps({f"node_modules/{p.name}-js": {"version": ver,
                            "resolved": f"https://registry.npmjs.org/{p.name}-js/-/{p.name}-js-{ver}.tgz",
                            "integrity": f"sha512-{b}"}}, indent=2).split("\n")
        return lines, 4, "json", "package-lock", b
    b = base64.b64encode(bytes(rng.randrange(256) for _ in range(48))).decode()
    lines = [f'<script src="https://cdn.{p.host.split(".", 1)[-1]}/widget.js"', f'        integrity="sha384-{b}"',
             '        crossorigin="anonymous"></script>']
    return lines, 1, "html", "html", b


def dc_env_var_name(rng, p):
    name = f"{p.env}_{env_suffix(rng, p)}"
    v = rng.randrange(3)
    if v == 0:
        return [f'{p.name.upper()}_KEY_ENV = "{name}"'], 0, "py", "bare-name", name
    if v == 1:
        lines = ["env:", f"  - name: {name}", "    valueFrom:", "      secretKeyRef:", f"        name: {p.name}-credentials",
                 f"        key: {pick(rng, 'api-key', 'token', p.kn)}"]
        return lines, 1, "yaml", "k8s-secret", name
    return [json.dumps({p.name: {"credential_env": name, "auth_header": header_for(rng, p, "x")[0]}})], 0, "json", "json-nested", name


def dc_data_uri(rng, p):
    raw = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(rng.randint(60, 120)))
    b = base64.b64encode(raw).decode()
    lines = json.dumps({"name": p.disp, "slug": p.name, "icon": f"data:image/png;base64,{b}"}, indent=2).split("\n")
    return lines, 3, "json", "json-flat", b


def dc_label_text(rng, p):
    lines = json.dumps({f"{p.name}.api_key.label": f"{p.disp} API key",
                        f"{p.name}.api_key.help": f"Paste the access key from your {p.disp} dashboard",
                        f"{p.name}.errors.invalid_token": f"The {p.disp} token you entered is invalid"}, indent=2).split("\n")
    return lines, 1, "json", "i18n", f"{p.disp} API key"


DECOYS = {
    "placeholder-angle": dc_placeholder_angle, "placeholder-caps": dc_placeholder_caps,
    "placeholder-x": dc_placeholder_x, "env-reference": dc_env_reference, "low-entropy": dc_low_entropy,
    "docs-url": dc_docs_url, "public-id": dc_public_id, "version-pin": dc_version_pin,
    "checksum-sha256": dc_checksum, "git-commit": dc_git_commit, "request-trace-id": dc_trace_uuid,
    "redacted": dc_redacted, "truncated": dc_truncated, "fake-fixture": dc_fake_fixture,
    "empty-value": dc_empty, "image-digest": dc_image_digest, "sri-integrity": dc_sri,
    "env-var-name": dc_env_var_name, "data-uri": dc_data_uri, "label-text": dc_label_text,
}

# ---------------------------------------------------------------------------------------
STEMS = ["example", "config", "settings", "app", "client", "main", "snippet", "sample", "request",
         "deploy", "service", "test_data", "integration", "worker"]
NEUTRAL = ["sample", "snippet", "example", "input", "case", "data", "fixture", "content", "body", "text"]


def build(seed=SEED, per_provider=2, decoys_per_cat=14):
    """(manifest items, {relative path: text}), all from `seed`."""
    rng = random.Random(seed)
    providers = load_providers()
    names = list(STYLES)
    # Each provider gets `per_provider` distinct styles; the styles are dealt from a shuffled
    # deck so that every style is used about equally, and a pair style goes to a provider
    # whose credential has an id beside it.
    deck = []
    items = []
    for p in providers:
        chosen = []
        if p.pair and rng.random() < 0.55:
            chosen.append("pair")
        while len(chosen) < per_provider:
            if not deck:
                deck = [s for s in names if s != "pair"]
                rng.shuffle(deck)
            for i, s in enumerate(deck):
                if s not in chosen and style_fits(s, p):
                    chosen.append(deck.pop(i))
                    break
            else:
                deck = []
        for style in chosen:
            secret = render(rng, p.tmpl, p)
            pair = None
            if p.pair:
                pair = (p.pair[0], render(rng, p.pair[1], p))
            lines, idx, ext = STYLES[style](rng, p, secret, pair)
            items.append({"kind": p.name, "decoy": False, "style": style, "value": secret, "lines": lines,
                          "first": idx + 1, "last": idx + 1, "ext": ext, "documented": p.documented, "shape": p.tmpl})
    for cat, fn in DECOYS.items():
        for p in rng.sample(providers, decoys_per_cat):
            lines, idx, ext, style, value = fn(rng, p)
            items.append({"kind": p.name, "decoy": cat, "style": style, "value": value, "lines": lines,
                          "first": idx + 1, "last": idx + 1, "ext": ext})
    rng.shuffle(items)
    files, out = {}, []
    for n, it in enumerate(items):
        third = n % 3
        if third == 0:
            name = f"{rng.choice(STEMS)}.{it['ext']}"
        elif third == 1:
            name = f"{rng.choice(STEMS)}.txt"
        else:
            name = rng.choice(NEUTRAL)
        rel = f"p{n:04d}/{name}"
        files[rel] = "\n".join(it["lines"]) + "\n"
        entry = {"file": rel, "first": it["first"], "last": it["last"], "kind": it["kind"], "decoy": it["decoy"],
                 "style": it["style"], "value": it["value"], "neutral": third == 2, "encoding": "utf-8"}
        if not it["decoy"]:
            entry["documented"] = it["documented"]
            entry["shape"] = it["shape"]
        out.append(entry)
    return out, files


def generate(out, manifest_path, seed=SEED):
    items, files = build(seed)
    return write_corpus(out, files, manifest_path, items, indent=1, manifest_dir=True)


def self_check():
    problems = []
    items, files = build_twice(build, problems, SEED + 1)
    secrets = [i for i in items if not i["decoy"]]
    decoys = [i for i in items if i["decoy"]]
    providers = load_providers()
    if len({p.name for p in providers}) != len(providers):
        problems.append("a provider is listed twice")
    for p in providers:
        if p.doc not in "DG" or not p.auth or not p.kn:
            problems.append(f"{p.name}: a malformed table line")
    kinds = {i["kind"] for i in secrets}
    styles = {i["style"] for i in secrets}
    cats = {i["decoy"] for i in decoys}
    if len(kinds) < 300:
        problems.append(f"only {len(kinds)} providers")
    if len(styles) < 15:
        problems.append(f"only {len(styles)} styles")
    if len(cats) < 15:
        problems.append(f"only {len(cats)} decoy categories")
    if not 600 <= len(secrets) <= 900:
        problems.append(f"{len(secrets)} positives, not 600-900")
    if not 250 <= len(decoys) <= 350:
        problems.append(f"{len(decoys)} negatives, not 250-350")
    thirds = [sum(1 for i in items if i["neutral"]), sum(1 for i in items if i["file"].endswith(".txt")),
              sum(1 for i in items if not i["neutral"] and not i["file"].endswith(".txt"))]
    if max(thirds) - min(thirds) > len(items) // 10:
        problems.append(f"file names not in thirds: {thirds}")
    values = set()
    for it in secrets:
        lines = files[it["file"]].split("\n")
        if not any(it["value"] in l for l in lines[it["first"] - 1:it["last"]]):
            problems.append(f"{it['file']}: the secret is not on lines {it['first']}-{it['last']}")
        if sum(l.count(it["value"]) for l in lines) != 1:
            problems.append(f"{it['file']}: the secret is in the file more than once")
        if it["value"] in values:
            problems.append(f"{it['file']}: a secret drawn twice")
        values.add(it["value"])
        if entropy(it["value"]) < 3.0:
            problems.append(f"{it['file']}: a low-entropy secret {it['value']}")
    for it in decoys:
        text = files[it["file"]]
        if any(v in text for v in values):
            problems.append(f"{it['file']}: a decoy holds a planted secret")
        if it["value"] and it["value"] not in text:
            problems.append(f"{it['file']}: the decoy's value is not in its file")
        if it["decoy"] in ("placeholder-x", "low-entropy") and entropy(it["value"]) > 3.4:
            problems.append(f"{it['file']}: a low-entropy decoy with entropy {entropy(it['value']):.1f}")
    for it in items:
        for k in ("file", "first", "last", "kind", "decoy", "style", "value", "neutral", "encoding"):
            if k not in it:
                problems.append(f"{it['file']}: no {k}")
    return report(problems, f"{len(secrets)} positives of {len(kinds)} providers in {len(styles)} styles, "
                            f"{len(decoys)} negatives in {len(cats)} categories", limit=40)


def gen(out, manifest, seed):
    items = generate(out, manifest, seed)
    sec = [i for i in items if not i["decoy"]]
    return (f"corpus: {len(sec)} planted secrets of {len({i['kind'] for i in sec})} providers in "
            f"{len({i['style'] for i in sec})} styles, {len(items) - len(sec)} negative files, seed {seed}")


def main(argv):
    return corpus_common.main(argv, __doc__, SEED, self_check, {"gen": gen})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
