<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ro_RO">
<context>
    <name>Approval</name>
    <message>
        <source>Void a line or lower a quantity</source>
        <translation>Anularea unei linii sau micșorarea cantității</translation>
    </message>
    <message>
        <source>Cancel the sale</source>
        <translation>Anularea vânzării</translation>
    </message>
    <message>
        <source>Change a price</source>
        <translation>Modificarea unui preț</translation>
    </message>
    <message>
        <source>Discount above the cashier&apos;s limit</source>
        <translation>Reducere peste limita casierului</translation>
    </message>
    <message>
        <source>Return goods</source>
        <translation>Retur de marfă</translation>
    </message>
    <message>
        <source>Manage users</source>
        <translation>Gestionarea utilizatorilor</translation>
    </message>
    <message>
        <source>Change till settings</source>
        <translation>Modificarea setărilor casei</translation>
    </message>
    <message>
        <source>Cash in or out</source>
        <translation>Intrare sau ieșire de numerar</translation>
    </message>
    <message>
        <source>Shift and reports</source>
        <translation>Tura și rapoartele</translation>
    </message>
    <message>
        <source>Sell</source>
        <translation>Vânzare</translation>
    </message>
    <message>
        <source>Manager approval</source>
        <translation>Aprobarea managerului</translation>
    </message>
    <message>
        <source>Needs a manager: {action}</source>
        <translation>Necesită un manager: {action}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anulează</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Aprobă</translation>
    </message>
</context>
<context>
    <name>Cart</name>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produs</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Cant.</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preț</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Reducere</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Valoare</translation>
    </message>
</context>
<context>
    <name>CartActions</name>
    <message>
        <source>Quantity</source>
        <translation>Cantitate</translation>
    </message>
    <message>
        <source>New quantity ({unit}) for {name}:</source>
        <translation>Cantitate nouă ({unit}) pentru „{name}”:</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Greutate</translation>
    </message>
    <message>
        <source>{name}: enter the quantity in {unit}</source>
        <translation>{name}: introduceți cantitatea în {unit}</translation>
    </message>
    <message>
        <source>Age check</source>
        <translation>Verificarea vârstei</translation>
    </message>
    <message>
        <source>Age-restricted product. Check the customer&apos;s ID: is the customer of legal age?</source>
        <translation>Produs cu restricție de vârstă. Verificați actul clientului: clientul este major?</translation>
    </message>
    <message>
        <source>Yes, of age</source>
        <translation>Da, este major</translation>
    </message>
    <message>
        <source>No — do not sell</source>
        <translation>Nu — nu vindeți</translation>
    </message>
    <message>
        <source>Enter a price like 12,50.</source>
        <translation>Introduceți un preț, de exemplu 12,50.</translation>
    </message>
    <message>
        <source>Change price</source>
        <translation>Modifică prețul</translation>
    </message>
    <message>
        <source>New unit price for {name}:</source>
        <translation>Preț unitar nou pentru „{name}”:</translation>
    </message>
    <message>
        <source>Cancel sale</source>
        <translation>Anulează vânzarea</translation>
    </message>
    <message>
        <source>Cancel the whole sale? All lines are removed.</source>
        <translation>Anulați toată vânzarea? Toate liniile vor fi șterse.</translation>
    </message>
    <message>
        <source>Keep selling</source>
        <translation>Continuă vânzarea</translation>
    </message>
</context>
<context>
    <name>Cash</name>
    <message>
        <source>Reason (optional, Tab to reach)</source>
        <translation>Motiv (opțional, ajungeți cu Tab)</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Intrare numerar</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Ieșire numerar</translation>
    </message>
    <message>
        <source>Amount put into the drawer:</source>
        <translation>Suma pusă în sertar:</translation>
    </message>
    <message>
        <source>Amount taken out of the drawer:</source>
        <translation>Suma scoasă din sertar:</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Cancel</source>
        <translation>Anulează</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nu</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Da</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Înapoi</translation>
    </message>
</context>
<context>
    <name>Discount</name>
    <message>
        <source>Discount</source>
        <translation>Reducere</translation>
    </message>
    <message>
        <source>Discount, then Enter:</source>
        <translation>Reducerea, apoi Enter:</translation>
    </message>
    <message>
        <source>F2: line or whole receipt · F3: percent or amount · F4: remove the discount</source>
        <translation>F2: linie sau tot bonul · F3: procent sau sumă · F4: elimină reducerea</translation>
    </message>
    <message>
        <source>Line / receipt</source>
        <translation>Linie / bon</translation>
    </message>
    <message>
        <source>% / amount</source>
        <translation>% / sumă</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Elimină</translation>
    </message>
    <message>
        <source>Whole receipt</source>
        <translation>Tot bonul</translation>
    </message>
    <message>
        <source>Line: {name}</source>
        <translation>Linia: {name}</translation>
    </message>
    <message>
        <source>percent</source>
        <translation>procent</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>sumă</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Sale</source>
        <translation>Vânzare</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Retur</translation>
    </message>
    <message>
        <source>for receipt {number}</source>
        <translation>pentru bonul {number}</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>VAT</source>
        <translation>TVA</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Numerar</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Rest</translation>
    </message>
    <message>
        <source>Fiscal number</source>
        <translation>Număr fiscal</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Bonuri</translation>
    </message>
    <message>
        <source>Receipt number, then Enter (arrows: move)</source>
        <translation>Numărul bonului, apoi Enter (săgeți: navigare)</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Număr</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Ora</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tip</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Închide</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Retipărește</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Tillbridge — log in</source>
        <translation>Tillbridge — autentificare</translation>
    </message>
    <message>
        <source>Store {store} · till {till}</source>
        <translation>Magazin {store} · casa {till}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No shift is open</source>
        <translation>Nicio tură deschisă</translation>
    </message>
    <message>
        <source>Press F9 to open a shift with the cash in the drawer.</source>
        <translation>Apăsați F9 pentru a deschide tura cu numerarul din sertar.</translation>
    </message>
    <message>
        <source>Scanned {code} — finish or close this window (Esc) first, then scan again.</source>
        <translation>S-a scanat {code} — mai întâi terminați sau închideți această fereastră (Esc), apoi scanați din nou.</translation>
    </message>
    <message>
        <source>Log in first, then scan.</source>
        <translation>Autentificați-vă mai întâi, apoi scanați.</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <source>Payment</source>
        <translation>Plată</translation>
    </message>
    <message>
        <source>To pay</source>
        <translation>De plată</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Plătit</translation>
    </message>
    <message>
        <source>Left to pay</source>
        <translation>Rest de plată</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Rest</translation>
    </message>
    <message>
        <source>Card terminal reference (RRN or approval code), then Enter:</source>
        <translation>Referința de la terminal (RRN sau cod de autorizare), apoi Enter:</translation>
    </message>
    <message>
        <source>Back to sale</source>
        <translation>Înapoi la vânzare</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Numerar</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>Exact cash</source>
        <translation>Numerar exact</translation>
    </message>
    <message>
        <source>Cash {amount}</source>
        <translation>Numerar {amount}</translation>
    </message>
    <message>
        <source>Card {amount}</source>
        <translation>Card {amount}</translation>
    </message>
    <message>
        <source>Card amount (empty = all that is left):</source>
        <translation>Suma cu cardul (gol = tot restul):</translation>
    </message>
    <message>
        <source>Cash received (empty = exact amount), then Enter:</source>
        <translation>Numerar primit (gol = suma exactă), apoi Enter:</translation>
    </message>
    <message>
        <source>Enter an amount like 150 or 150,50.</source>
        <translation>Introduceți o sumă, de exemplu 150 sau 150,50.</translation>
    </message>
    <message>
        <source>Take back payments?</source>
        <translation>Anulați plățile?</translation>
    </message>
    <message>
        <source>The payments entered will be removed. Reverse any card payment on the card terminal.</source>
        <translation>Plățile introduse vor fi șterse. Anulați orice plată cu cardul pe terminal.</translation>
    </message>
    <message>
        <source>Added to the sale: {name}</source>
        <translation>Adăugat la vânzare: {name}</translation>
    </message>
</context>
<context>
    <name>PinPanel</name>
    <message>
        <source>PIN (Up/Down: choose user)</source>
        <translation>PIN (↑/↓: alegeți utilizatorul)</translation>
    </message>
    <message>
        <source>Type your PIN, press Enter</source>
        <translation>Introduceți PIN-ul și apăsați Enter</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>manager</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>casier</translation>
    </message>
    <message>
        <source>No users on this till yet — a manager must create one (tillbridge-till users add).</source>
        <translation>Nu există încă utilizatori pe această casă — un manager trebuie să creeze unul (tillbridge-till users add).</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Unknown barcode {code} — check the number or find the product by name (F2).</source>
        <translation>Cod de bare necunoscut {code} — verificați numărul sau căutați produsul după nume (F2).</translation>
    </message>
    <message>
        <source>The scale label cannot be read — weigh the item again and print a new label.</source>
        <translation>Eticheta de la cântar nu poate fi citită — cântăriți din nou produsul și tipăriți o etichetă nouă.</translation>
    </message>
    <message>
        <source>This product is not for sale on this till — call a manager.</source>
        <translation>Acest produs nu se vinde la această casă — chemați un manager.</translation>
    </message>
    <message>
        <source>Enter a valid quantity: whole pieces, or up to 3 decimals for weight and length.</source>
        <translation>Introduceți o cantitate validă: bucăți întregi sau până la 3 zecimale pentru greutate și lungime.</translation>
    </message>
    <message>
        <source>This discount is not possible — it must be more than 0 and not more than the amount.</source>
        <translation>Această reducere nu este posibilă — trebuie să fie mai mare de 0 și cel mult cât suma.</translation>
    </message>
    <message>
        <source>Enter a valid price.</source>
        <translation>Introduceți un preț valid.</translation>
    </message>
    <message>
        <source>The sale is empty — scan a product first.</source>
        <translation>Vânzarea este goală — scanați mai întâi un produs.</translation>
    </message>
    <message>
        <source>Payments are already taken — finish the payment or remove the payments (Esc) before changing the sale.</source>
        <translation>Plățile sunt deja încasate — finalizați plata sau anulați plățile (Esc) înainte de a modifica vânzarea.</translation>
    </message>
    <message>
        <source>Choose a line in the sale first (arrow keys).</source>
        <translation>Alegeți mai întâi o linie din vânzare (tastele săgeți).</translation>
    </message>
    <message>
        <source>The payment does not cover the total — take another payment.</source>
        <translation>Plata nu acoperă totalul — încasați încă o plată.</translation>
    </message>
    <message>
        <source>A card payment cannot be more than the amount due — enter a smaller amount.</source>
        <translation>O plată cu cardul nu poate depăși suma de plată — introduceți o sumă mai mică.</translation>
    </message>
    <message>
        <source>Check the card reference: letters and digits only, up to 32.</source>
        <translation>Verificați referința cardului: doar litere și cifre, cel mult 32.</translation>
    </message>
    <message>
        <source>There is not enough cash in the drawer for this — refund by card or put cash in first (F8).</source>
        <translation>Nu este suficient numerar în sertar — restituiți pe card sau introduceți mai întâi numerar (F8).</translation>
    </message>
    <message>
        <source>No shift is open — press F9 to open a shift.</source>
        <translation>Nicio tură deschisă — apăsați F9 pentru a deschide o tură.</translation>
    </message>
    <message>
        <source>The shift is open longer than the law allows — close it with a Z report (F9) and open a new one.</source>
        <translation>Tura este deschisă mai mult decât permite legea — închideți-o cu raportul Z (F9) și deschideți una nouă.</translation>
    </message>
    <message>
        <source>A shift is already open on this till.</source>
        <translation>Pe această casă există deja o tură deschisă.</translation>
    </message>
    <message>
        <source>No sale with this receipt number on this till — check the number printed on the receipt.</source>
        <translation>Nu există nicio vânzare cu acest număr de bon pe această casă — verificați numărul tipărit pe bon.</translation>
    </message>
    <message>
        <source>That is more than the receipt sold (minus earlier returns).</source>
        <translation>Este mai mult decât s-a vândut pe bon (minus retururile anterioare).</translation>
    </message>
    <message>
        <source>A card refund can only go back to a card the sale was paid with — refund in cash.</source>
        <translation>Restituirea pe card este posibilă doar dacă vânzarea a fost plătită cu cardul — restituiți în numerar.</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN — %n attempt(s) left before the account locks.</source>
        <translation>
            <numerusform>PIN greșit — a mai rămas %n încercare până la blocare.</numerusform>
            <numerusform>PIN greșit — au mai rămas %n încercări până la blocare.</numerusform>
            <numerusform>PIN greșit — au mai rămas %n de încercări până la blocare.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong PIN — try again.</source>
        <translation>PIN greșit — încercați din nou.</translation>
    </message>
    <message>
        <source>Too many wrong PINs — ask a manager to unlock the account.</source>
        <translation>Prea multe PIN-uri greșite — cereți unui manager să deblocheze contul.</translation>
    </message>
    <message>
        <source>A manager must approve this.</source>
        <translation>Un manager trebuie să aprobe.</translation>
    </message>
    <message>
        <source>Log in with your PIN first.</source>
        <translation>Autentificați-vă mai întâi cu PIN-ul.</translation>
    </message>
    <message>
        <source>Age-restricted product — check the customer&apos;s ID.</source>
        <translation>Produs cu restricție de vârstă — verificați actul clientului.</translation>
    </message>
    <message>
        <source>Printer out of paper — replace the roll and press Retry.</source>
        <translation>Imprimanta nu mai are hârtie — înlocuiți rola și apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>Printer cover is open — close it and press Retry.</source>
        <translation>Capacul imprimantei este deschis — închideți-l și apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>The device does not answer — check its power and cable, then press Retry.</source>
        <translation>Dispozitivul nu răspunde — verificați alimentarea și cablul, apoi apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>The device is busy — wait a moment and press Retry.</source>
        <translation>Dispozitivul este ocupat — așteptați puțin și apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>The device reported an error — check its display, then press Retry. If it repeats, call support (code {code}).</source>
        <translation>Dispozitivul a raportat o eroare — verificați afișajul, apoi apăsați „Reîncearcă”. Dacă se repetă, sunați la suport (cod {code}).</translation>
    </message>
    <message>
        <source>The fiscal day is not open — check the fiscal device, then press Retry.</source>
        <translation>Ziua fiscală nu este deschisă — verificați casa fiscală, apoi apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>The fiscal device needs a Z report — close the shift (F9).</source>
        <translation>Casa fiscală necesită raportul Z — închideți tura (F9).</translation>
    </message>
    <message>
        <source>The fiscal device did not confirm the receipt — it will not be sent twice. Check the device and press Retry.</source>
        <translation>Casa fiscală nu a confirmat bonul — nu va fi trimis de două ori. Verificați dispozitivul și apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>The fiscal service is offline too long — connect the till to the internet, then press Retry.</source>
        <translation>Serviciul fiscal este offline de prea mult timp — conectați casa la internet, apoi apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>The fiscal device lacks a VAT rate of this sale — call the service engineer.</source>
        <translation>Casa fiscală nu are programată o cotă de TVA a acestei vânzări — chemați tehnicianul de service.</translation>
    </message>
    <message>
        <source>The original sale has no fiscal receipt on this device — refund it at the till where it was sold.</source>
        <translation>Vânzarea inițială nu are bon fiscal pe acest dispozitiv — faceți returul la casa unde s-a vândut.</translation>
    </message>
    <message>
        <source>No fiscal device is configured — a manager can set one up in Settings.</source>
        <translation>Nicio casă fiscală configurată — un manager o poate configura în Setări.</translation>
    </message>
    <message>
        <source>The fiscal device refused the document — call support (code {code}).</source>
        <translation>Casa fiscală a refuzat documentul — sunați la suport (cod {code}).</translation>
    </message>
    <message>
        <source>The till is busy saving — press Retry.</source>
        <translation>Casa este ocupată cu salvarea — apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>The till could not save — the disk may be full or damaged. What is already sold is kept; call support.</source>
        <translation>Casa nu a putut salva — discul poate fi plin sau deteriorat. Ce s-a vândut deja este păstrat; sunați la suport.</translation>
    </message>
    <message>
        <source>Something went wrong — what is already sold is kept. Press Retry; if it happens again, call support (code {code}).</source>
        <translation>Ceva nu a mers — ce s-a vândut deja este păstrat. Apăsați „Reîncearcă”; dacă se repetă, sunați la suport (cod {code}).</translation>
    </message>
    <message>
        <source>not configured</source>
        <translation>neconfigurat</translation>
    </message>
    <message>
        <source>No receipt printer is set up — a manager can add one in Settings (F11).</source>
        <translation>Nicio imprimantă de bonuri configurată — un manager poate adăuga una în Setări (F11).</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>fără hârtie</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>capac deschis</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Printer does not answer — check its power and cable, then press Retry.</source>
        <translation>Imprimanta nu răspunde — verificați alimentarea și cablul, apoi apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>paper low</source>
        <translation>hârtie pe terminate</translation>
    </message>
    <message>
        <source>Printer paper is running out — have a new roll ready.</source>
        <translation>Hârtia imprimantei se termină — pregătiți o rolă nouă.</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>se verifică…</translation>
    </message>
    <message>
        <source>error</source>
        <translation>eroare</translation>
    </message>
    <message>
        <source>Printer reports an error — check it, then press Retry.</source>
        <translation>Imprimanta raportează o eroare — verificați-o, apoi apăsați „Reîncearcă”.</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>pregătit</translation>
    </message>
    <message>
        <source>Fiscal device does not answer — check its power and cable; receipts wait and are sent once it answers.</source>
        <translation>Casa fiscală nu răspunde — verificați alimentarea și cablul; bonurile așteaptă și vor fi trimise când răspunde.</translation>
    </message>
    <message numerus="yes">
        <source>%n to check</source>
        <translation>
            <numerusform>%n de verificat</numerusform>
            <numerusform>%n de verificat</numerusform>
            <numerusform>%n de verificat</numerusform>
        </translation>
    </message>
    <message>
        <source>Some receipts were not confirmed by the fiscal device — check the device, then press Retry.</source>
        <translation>Unele bonuri nu au fost confirmate de casa fiscală — verificați dispozitivul, apoi apăsați „Reîncearcă”.</translation>
    </message>
    <message numerus="yes">
        <source>%n refused</source>
        <translation>
            <numerusform>%n refuzat</numerusform>
            <numerusform>%n refuzate</numerusform>
            <numerusform>%n de refuzate</numerusform>
        </translation>
    </message>
    <message>
        <source>Fiscal device reports: {detail}</source>
        <translation>Casa fiscală raportează: {detail}</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertisment</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) waiting</source>
        <translation>
            <numerusform>%n eveniment în așteptare</numerusform>
            <numerusform>%n evenimente în așteptare</numerusform>
            <numerusform>%n de evenimente în așteptare</numerusform>
        </translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>neconectat</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>last {time}</source>
        <translation>ultima {time}</translation>
    </message>
    <message>
        <source>error: {detail}</source>
        <translation>eroare: {detail}</translation>
    </message>
</context>
<context>
    <name>Returns</name>
    <message>
        <source>Return</source>
        <translation>Retur</translation>
    </message>
    <message>
        <source>Scan the receipt barcode or type its number</source>
        <translation>Scanați codul de bare al bonului sau tastați numărul</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produs</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Vândut</translation>
    </message>
    <message>
        <source>Returned before</source>
        <translation>Returnat anterior</translation>
    </message>
    <message>
        <source>Return now</source>
        <translation>Returnat acum</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Sumă</translation>
    </message>
    <message>
        <source>Quantity to return for the chosen line, then Enter (empty = all of it):</source>
        <translation>Cantitatea de returnat pentru linia aleasă, apoi Enter (gol = toată):</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Închide</translation>
    </message>
    <message>
        <source>Return all</source>
        <translation>Returnează tot</translation>
    </message>
    <message>
        <source>Cash / card</source>
        <translation>Numerar / card</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Restituie</translation>
    </message>
    <message>
        <source>Everything on this receipt was already returned.</source>
        <translation>Tot ce este pe acest bon a fost deja returnat.</translation>
    </message>
    <message>
        <source>Enter a quantity like 1 or 0,250.</source>
        <translation>Introduceți o cantitate, de exemplu 1 sau 0,250.</translation>
    </message>
    <message>
        <source>At most {left} can be returned from this line.</source>
        <translation>Din această linie se pot returna cel mult {left}.</translation>
    </message>
    <message>
        <source>to the card</source>
        <translation>pe card</translation>
    </message>
    <message>
        <source>in cash</source>
        <translation>în numerar</translation>
    </message>
    <message>
        <source>Refund {amount} {how}</source>
        <translation>Restituire {amount} {how}</translation>
    </message>
    <message>
        <source>Choose what comes back first (a quantity and Enter, or F2 for everything).</source>
        <translation>Alegeți mai întâi ce se returnează (o cantitate și Enter sau F2 pentru tot).</translation>
    </message>
</context>
<context>
    <name>Sale</name>
    <message>
        <source>Subtotal</source>
        <translation>Subtotal</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Reducere</translation>
    </message>
    <message>
        <source>TOTAL</source>
        <translation>TOTAL</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n linie</numerusform>
            <numerusform>%n linii</numerusform>
            <numerusform>%n de linii</numerusform>
        </translation>
    </message>
    <message>
        <source>VAT {rate}%: {amount}</source>
        <translation>TVA {rate}%: {amount}</translation>
    </message>
    <message>
        <source>VAT: —</source>
        <translation>TVA: —</translation>
    </message>
    <message>
        <source>Receipt {number} paid.</source>
        <translation>Bonul {number} a fost plătit.</translation>
    </message>
    <message>
        <source>CHANGE: {amount}</source>
        <translation>REST: {amount}</translation>
    </message>
    <message>
        <source>Find product</source>
        <translation>Caută produs</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Cantitate</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preț</translation>
    </message>
    <message>
        <source>Void line</source>
        <translation>Anulează linia</translation>
    </message>
    <message>
        <source>Cancel sale</source>
        <translation>Anulează vânzarea</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Retur</translation>
    </message>
    <message>
        <source>Cash in/out</source>
        <translation>Intrări/ieșiri numerar</translation>
    </message>
    <message>
        <source>Shift / X / Z</source>
        <translation>Tura / X / Z</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Bonuri</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Setări</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Ieșire</translation>
    </message>
    <message>
        <source>PAY</source>
        <translation>PLATĂ</translation>
    </message>
    <message>
        <source>Scan, or type a barcode or product name</source>
        <translation>Scanați sau tastați codul de bare ori numele produsului</translation>
    </message>
    <message>
        <source>Ready — scan the first product</source>
        <translation>Gata — scanați primul produs</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Mulțumim!</translation>
    </message>
    <message>
        <source>Next customer: scan the first product</source>
        <translation>Clientul următor: scanați primul produs</translation>
    </message>
    <message>
        <source>Added to the sale: {name}</source>
        <translation>Adăugat la vânzare: {name}</translation>
    </message>
    <message>
        <source>Nothing found for “{query}” — check the spelling or scan the barcode.</source>
        <translation>Nu s-a găsit nimic pentru „{query}” — verificați scrierea sau scanați codul de bare.</translation>
    </message>
    <message>
        <source>Type part of the product name</source>
        <translation>Tastați o parte din numele produsului</translation>
    </message>
    <message>
        <source>Results appear as you type; arrows choose, Enter adds.</source>
        <translation>Rezultatele apar pe măsură ce tastați; săgețile aleg, Enter adaugă.</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Settings</source>
        <translation>Setări</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Închide</translation>
    </message>
    <message>
        <source>Save this page</source>
        <translation>Salvează această pagină</translation>
    </message>
    <message>
        <source>Screen language</source>
        <translation>Limba ecranului</translation>
    </message>
    <message>
        <source>Store / till</source>
        <translation>Magazin / casă</translation>
    </message>
    <message>
        <source>Country / currency</source>
        <translation>Țară / monedă</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Limbă</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Imprimantă de bonuri</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nume</translation>
    </message>
    <message>
        <source>Network address</source>
        <translation>Adresă de rețea</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Save adds this network printer (it must answer). USB and serial printers are added with the local API.</source>
        <translation>„Salvează” adaugă această imprimantă de rețea (trebuie să răspundă). Imprimantele USB și seriale se adaugă prin API-ul local.</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Imprimantă</translation>
    </message>
    <message>
        <source>Printers are not available on this till.</source>
        <translation>Imprimantele nu sunt disponibile pe această casă.</translation>
    </message>
    <message>
        <source>No printer yet.</source>
        <translation>Încă nu există nicio imprimantă.</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Niciuna</translation>
    </message>
    <message>
        <source>Fiscal device</source>
        <translation>Casă fiscală</translation>
    </message>
    <message>
        <source>Datecs address</source>
        <translation>Adresa Datecs</translation>
    </message>
    <message>
        <source>Datecs port</source>
        <translation>Portul Datecs</translation>
    </message>
    <message>
        <source>Checkbox server</source>
        <translation>Serverul Checkbox</translation>
    </message>
    <message>
        <source>Checkbox licence key</source>
        <translation>Cheia de licență Checkbox</translation>
    </message>
    <message>
        <source>Checkbox cashier login</source>
        <translation>Utilizatorul casierului Checkbox</translation>
    </message>
    <message>
        <source>Checkbox cashier password</source>
        <translation>Parola casierului Checkbox</translation>
    </message>
    <message>
        <source>Cloud address</source>
        <translation>Adresa cloud</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>Cod de înrolare</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stare</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Salvat.</translation>
    </message>
</context>
<context>
    <name>Shift</name>
    <message>
        <source>Enter an amount like 500 or 500,50.</source>
        <translation>Introduceți o sumă, de exemplu 500 sau 500,50.</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s)</source>
        <translation>
            <numerusform>%n bon</numerusform>
            <numerusform>%n bonuri</numerusform>
            <numerusform>%n de bonuri</numerusform>
        </translation>
    </message>
    <message>
        <source>Shift {number}</source>
        <translation>Tura {number}</translation>
    </message>
    <message>
        <source>Opened {when} by {name} · open for {age}</source>
        <translation>Deschisă la {when} de {name} · deschisă de {age}</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s) in this shift</source>
        <translation>
            <numerusform>%n bon în această tură</numerusform>
            <numerusform>%n bonuri în această tură</numerusform>
            <numerusform>%n de bonuri în această tură</numerusform>
        </translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Înapoi</translation>
    </message>
    <message>
        <source>X report</source>
        <translation>Raport X</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Intrare numerar</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Ieșire numerar</translation>
    </message>
    <message>
        <source>Close shift (Z)</source>
        <translation>Închide tura (Z)</translation>
    </message>
    <message>
        <source>Z report</source>
        <translation>Raport Z</translation>
    </message>
    <message>
        <source>{kind} · shift {number}</source>
        <translation>{kind} · tura {number}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Închide</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Tipărește</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>Generat</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Vânzări</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Retururi</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>Net</translation>
    </message>
    <message>
        <source>Discounts given</source>
        <translation>Reduceri acordate</translation>
    </message>
    <message>
        <source>Cash rounding</source>
        <translation>Rotunjire numerar</translation>
    </message>
    <message>
        <source>VAT {rate}% ({group})</source>
        <translation>TVA {rate}% ({group})</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Numerar</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>taken {sales} · refunded {refunds}</source>
        <translation>încasat {sales} · restituit {refunds}</translation>
    </message>
    <message>
        <source>Opening float</source>
        <translation>Fond inițial</translation>
    </message>
    <message>
        <source>Expected cash in drawer</source>
        <translation>Numerar așteptat în sertar</translation>
    </message>
    <message>
        <source>Counted cash</source>
        <translation>Numerar numărat</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Diferență</translation>
    </message>
    <message>
        <source>Voided lines / cancelled sales</source>
        <translation>Linii anulate / vânzări anulate</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Retry</source>
        <translation>Reîncearcă</translation>
    </message>
    <message>
        <source>Shift: closed</source>
        <translation>Tura: închisă</translation>
    </message>
    <message>
        <source>Shift {number}: open {age}</source>
        <translation>Tura {number}: deschisă de {age}</translation>
    </message>
    <message>
        <source>Fiscal: {state}</source>
        <translation>Fiscal: {state}</translation>
    </message>
    <message>
        <source>Printer: {state}</source>
        <translation>Imprimantă: {state}</translation>
    </message>
    <message>
        <source>Sync: {state}</source>
        <translation>Sincr.: {state}</translation>
    </message>
</context>
<context>
    <name>TillActions</name>
    <message>
        <source>Copy of {number} sent to the printer.</source>
        <translation>Copia bonului {number} a fost trimisă la imprimantă.</translation>
    </message>
    <message>
        <source>No receipt printer is set up — a manager can add one in Settings (F11).</source>
        <translation>Nicio imprimantă de bonuri configurată — un manager poate adăuga una în Setări (F11).</translation>
    </message>
    <message>
        <source>Cash in or out</source>
        <translation>Intrare sau ieșire de numerar</translation>
    </message>
    <message>
        <source>Put cash into the drawer, or take cash out of it?</source>
        <translation>Puneți numerar în sertar sau scoateți numerar din el?</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Intrare numerar</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Ieșire numerar</translation>
    </message>
    <message>
        <source>Cash in recorded</source>
        <translation>Intrarea de numerar a fost înregistrată</translation>
    </message>
    <message>
        <source>Cash out recorded</source>
        <translation>Ieșirea de numerar a fost înregistrată</translation>
    </message>
    <message>
        <source>Shift {number} is open</source>
        <translation>Tura {number} este deschisă</translation>
    </message>
    <message>
        <source>Scan the first product.</source>
        <translation>Scanați primul produs.</translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation>Deschide tura</translation>
    </message>
    <message>
        <source>Cash in the drawer now (opening float):</source>
        <translation>Numerarul din sertar acum (fond inițial):</translation>
    </message>
    <message>
        <source>Close shift (Z report)</source>
        <translation>Închide tura (raport Z)</translation>
    </message>
    <message>
        <source>Count the cash in the drawer and enter the total:</source>
        <translation>Numărați numerarul din sertar și introduceți totalul:</translation>
    </message>
    <message>
        <source>The expected amount is shown on the Z report after closing.</source>
        <translation>Suma așteptată apare în raportul Z după închidere.</translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message numerus="yes">
        <source>%n h</source>
        <comment>hours</comment>
        <translation>
            <numerusform>%n oră</numerusform>
            <numerusform>%n ore</numerusform>
            <numerusform>%n de ore</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <comment>minutes</comment>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>pcs</source>
        <translation>buc</translation>
    </message>
    <message>
        <source>kg</source>
        <translation>kg</translation>
    </message>
    <message>
        <source>l</source>
        <translation>l</translation>
    </message>
    <message>
        <source>m</source>
        <translation>m</translation>
    </message>
</context>
<context>
    <name>VatGroups</name>
    <message>
        <source>standard</source>
        <translation>standard</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>redusă</translation>
    </message>
    <message>
        <source>super-reduced</source>
        <translation>super-redusă</translation>
    </message>
    <message>
        <source>agricultural</source>
        <translation>agricolă</translation>
    </message>
    <message>
        <source>housing</source>
        <translation>locuințe</translation>
    </message>
    <message>
        <source>zero-rated</source>
        <translation>cota zero</translation>
    </message>
    <message>
        <source>exempt</source>
        <translation>scutit</translation>
    </message>
</context>
</TS>
