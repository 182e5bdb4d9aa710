<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uk_UA">
<context>
    <name>Approval</name>
    <message>
        <source>Void a line or lower a quantity</source>
        <translation>Сторнувати рядок або зменшити кількість</translation>
    </message>
    <message>
        <source>Cancel the sale</source>
        <translation>Скасувати продаж</translation>
    </message>
    <message>
        <source>Change a price</source>
        <translation>Змінити ціну</translation>
    </message>
    <message>
        <source>Discount above the cashier&apos;s limit</source>
        <translation>Знижка понад ліміт касира</translation>
    </message>
    <message>
        <source>Return goods</source>
        <translation>Повернення товару</translation>
    </message>
    <message>
        <source>Manage users</source>
        <translation>Керування користувачами</translation>
    </message>
    <message>
        <source>Change till settings</source>
        <translation>Змінити налаштування каси</translation>
    </message>
    <message>
        <source>Cash in or out</source>
        <translation>Внесення або вилучення готівки</translation>
    </message>
    <message>
        <source>Shift and reports</source>
        <translation>Зміна та звіти</translation>
    </message>
    <message>
        <source>Sell</source>
        <translation>Продаж</translation>
    </message>
    <message>
        <source>Manager approval</source>
        <translation>Підтвердження менеджера</translation>
    </message>
    <message>
        <source>Needs a manager: {action}</source>
        <translation>Потрібен менеджер: {action}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Підтвердити</translation>
    </message>
</context>
<context>
    <name>Cart</name>
    <message>
        <source>#</source>
        <translation>№</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>К-сть</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Ціна</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
</context>
<context>
    <name>CartActions</name>
    <message>
        <source>Quantity</source>
        <translation>Кількість</translation>
    </message>
    <message>
        <source>New quantity ({unit}) for {name}:</source>
        <translation>Нова кількість ({unit}) для «{name}»:</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Вага</translation>
    </message>
    <message>
        <source>{name}: enter the quantity in {unit}</source>
        <translation>{name}: введіть кількість у {unit}</translation>
    </message>
    <message>
        <source>Age check</source>
        <translation>Перевірка віку</translation>
    </message>
    <message>
        <source>Age-restricted product. Check the customer&apos;s ID: is the customer of legal age?</source>
        <translation>Товар з віковим обмеженням. Перевірте документ покупця: чи є покупець повнолітнім?</translation>
    </message>
    <message>
        <source>Yes, of age</source>
        <translation>Так, повнолітній</translation>
    </message>
    <message>
        <source>No — do not sell</source>
        <translation>Ні — не продавати</translation>
    </message>
    <message>
        <source>Enter a price like 12,50.</source>
        <translation>Введіть ціну, наприклад 12,50.</translation>
    </message>
    <message>
        <source>Change price</source>
        <translation>Змінити ціну</translation>
    </message>
    <message>
        <source>New unit price for {name}:</source>
        <translation>Нова ціна за одиницю для «{name}»:</translation>
    </message>
    <message>
        <source>Cancel sale</source>
        <translation>Скасувати продаж</translation>
    </message>
    <message>
        <source>Cancel the whole sale? All lines are removed.</source>
        <translation>Скасувати весь продаж? Усі рядки буде видалено.</translation>
    </message>
    <message>
        <source>Keep selling</source>
        <translation>Продовжити продаж</translation>
    </message>
</context>
<context>
    <name>Cash</name>
    <message>
        <source>Reason (optional, Tab to reach)</source>
        <translation>Причина (необов&apos;язково, перехід — Tab)</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Внесення готівки</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Вилучення готівки</translation>
    </message>
    <message>
        <source>Amount put into the drawer:</source>
        <translation>Сума, внесена в касу:</translation>
    </message>
    <message>
        <source>Amount taken out of the drawer:</source>
        <translation>Сума, вилучена з каси:</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Cancel</source>
        <translation>Скасувати</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Ні</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Так</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
</context>
<context>
    <name>Discount</name>
    <message>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <source>Discount, then Enter:</source>
        <translation>Знижка, потім Enter:</translation>
    </message>
    <message>
        <source>F2: line or whole receipt · F3: percent or amount · F4: remove the discount</source>
        <translation>F2: рядок або весь чек · F3: відсоток або сума · F4: прибрати знижку</translation>
    </message>
    <message>
        <source>Line / receipt</source>
        <translation>Рядок / чек</translation>
    </message>
    <message>
        <source>% / amount</source>
        <translation>% / сума</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Прибрати</translation>
    </message>
    <message>
        <source>Whole receipt</source>
        <translation>Весь чек</translation>
    </message>
    <message>
        <source>Line: {name}</source>
        <translation>Рядок: {name}</translation>
    </message>
    <message>
        <source>percent</source>
        <translation>відсоток</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>сума</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Sale</source>
        <translation>Продаж</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <source>for receipt {number}</source>
        <translation>за чеком {number}</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Разом</translation>
    </message>
    <message>
        <source>VAT</source>
        <translation>ПДВ</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Готівка</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Решта</translation>
    </message>
    <message>
        <source>Fiscal number</source>
        <translation>Фіскальний номер</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Чеки</translation>
    </message>
    <message>
        <source>Receipt number, then Enter (arrows: move)</source>
        <translation>Номер чека, потім Enter (стрілки: переміщення)</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Час</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Друк копії</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <source>Tillbridge — log in</source>
        <translation>Tillbridge — вхід</translation>
    </message>
    <message>
        <source>Store {store} · till {till}</source>
        <translation>Магазин {store} · каса {till}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No shift is open</source>
        <translation>Зміну не відкрито</translation>
    </message>
    <message>
        <source>Press F9 to open a shift with the cash in the drawer.</source>
        <translation>Натисніть F9, щоб відкрити зміну з готівкою в касі.</translation>
    </message>
    <message>
        <source>Scanned {code} — finish or close this window (Esc) first, then scan again.</source>
        <translation>Відскановано {code} — спершу завершіть або закрийте це вікно (Esc), потім скануйте знову.</translation>
    </message>
    <message>
        <source>Log in first, then scan.</source>
        <translation>Спершу увійдіть, потім скануйте.</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <source>Payment</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <source>To pay</source>
        <translation>До сплати</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Сплачено</translation>
    </message>
    <message>
        <source>Left to pay</source>
        <translation>Залишок до сплати</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Решта</translation>
    </message>
    <message>
        <source>Card terminal reference (RRN or approval code), then Enter:</source>
        <translation>Код з термінала (RRN або код авторизації), потім Enter:</translation>
    </message>
    <message>
        <source>Back to sale</source>
        <translation>Назад до продажу</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Готівка</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <source>Exact cash</source>
        <translation>Без решти</translation>
    </message>
    <message>
        <source>Cash {amount}</source>
        <translation>Готівка {amount}</translation>
    </message>
    <message>
        <source>Card {amount}</source>
        <translation>Картка {amount}</translation>
    </message>
    <message>
        <source>Card amount (empty = all that is left):</source>
        <translation>Сума карткою (порожньо = весь залишок):</translation>
    </message>
    <message>
        <source>Cash received (empty = exact amount), then Enter:</source>
        <translation>Отримано готівки (порожньо = без решти), потім Enter:</translation>
    </message>
    <message>
        <source>Enter an amount like 150 or 150,50.</source>
        <translation>Введіть суму, наприклад 150 або 150,50.</translation>
    </message>
    <message>
        <source>Take back payments?</source>
        <translation>Скасувати оплати?</translation>
    </message>
    <message>
        <source>The payments entered will be removed. Reverse any card payment on the card terminal.</source>
        <translation>Введені оплати буде видалено. Оплату карткою скасуйте на терміналі.</translation>
    </message>
    <message>
        <source>Added to the sale: {name}</source>
        <translation>Додано до продажу: {name}</translation>
    </message>
</context>
<context>
    <name>PinPanel</name>
    <message>
        <source>PIN (Up/Down: choose user)</source>
        <translation>PIN (↑/↓: вибір користувача)</translation>
    </message>
    <message>
        <source>Type your PIN, press Enter</source>
        <translation>Введіть PIN і натисніть Enter</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>менеджер</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>касир</translation>
    </message>
    <message>
        <source>No users on this till yet — a manager must create one (tillbridge-till users add).</source>
        <translation>На цій касі ще немає користувачів — менеджер має створити їх (tillbridge-till users add).</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>Unknown barcode {code} — check the number or find the product by name (F2).</source>
        <translation>Невідомий штрихкод {code} — перевірте номер або знайдіть товар за назвою (F2).</translation>
    </message>
    <message>
        <source>The scale label cannot be read — weigh the item again and print a new label.</source>
        <translation>Етикетку з ваг не прочитано — зважте товар ще раз і надрукуйте нову етикетку.</translation>
    </message>
    <message>
        <source>This product is not for sale on this till — call a manager.</source>
        <translation>Цей товар не продається на цій касі — покличте менеджера.</translation>
    </message>
    <message>
        <source>Enter a valid quantity: whole pieces, or up to 3 decimals for weight and length.</source>
        <translation>Введіть правильну кількість: цілі штуки або до 3 знаків після коми для ваги й довжини.</translation>
    </message>
    <message>
        <source>This discount is not possible — it must be more than 0 and not more than the amount.</source>
        <translation>Така знижка неможлива — вона має бути більшою за 0 і не більшою за суму.</translation>
    </message>
    <message>
        <source>Enter a valid price.</source>
        <translation>Введіть правильну ціну.</translation>
    </message>
    <message>
        <source>The sale is empty — scan a product first.</source>
        <translation>Продаж порожній — спершу відскануйте товар.</translation>
    </message>
    <message>
        <source>Payments are already taken — finish the payment or remove the payments (Esc) before changing the sale.</source>
        <translation>Оплати вже прийнято — завершіть оплату або скасуйте оплати (Esc), перш ніж змінювати продаж.</translation>
    </message>
    <message>
        <source>Choose a line in the sale first (arrow keys).</source>
        <translation>Спершу виберіть рядок продажу (клавіші зі стрілками).</translation>
    </message>
    <message>
        <source>The payment does not cover the total — take another payment.</source>
        <translation>Оплата не покриває суму — прийміть ще одну оплату.</translation>
    </message>
    <message>
        <source>A card payment cannot be more than the amount due — enter a smaller amount.</source>
        <translation>Оплата карткою не може перевищувати суму до сплати — введіть меншу суму.</translation>
    </message>
    <message>
        <source>Check the card reference: letters and digits only, up to 32.</source>
        <translation>Перевірте код з термінала: лише літери й цифри, до 32 символів.</translation>
    </message>
    <message>
        <source>There is not enough cash in the drawer for this — refund by card or put cash in first (F8).</source>
        <translation>У касі недостатньо готівки — поверніть кошти на картку або спершу внесіть готівку (F8).</translation>
    </message>
    <message>
        <source>No shift is open — press F9 to open a shift.</source>
        <translation>Зміну не відкрито — натисніть F9, щоб відкрити зміну.</translation>
    </message>
    <message>
        <source>The shift is open longer than the law allows — close it with a Z report (F9) and open a new one.</source>
        <translation>Зміна відкрита довше, ніж дозволяє закон — закрийте її Z-звітом (F9) і відкрийте нову.</translation>
    </message>
    <message>
        <source>A shift is already open on this till.</source>
        <translation>На цій касі вже відкрито зміну.</translation>
    </message>
    <message>
        <source>No sale with this receipt number on this till — check the number printed on the receipt.</source>
        <translation>На цій касі немає продажу з таким номером чека — перевірте номер, надрукований на чеку.</translation>
    </message>
    <message>
        <source>That is more than the receipt sold (minus earlier returns).</source>
        <translation>Це більше, ніж продано за чеком (за вирахуванням попередніх повернень).</translation>
    </message>
    <message>
        <source>A card refund can only go back to a card the sale was paid with — refund in cash.</source>
        <translation>Повернення на картку можливе лише тоді, коли продаж оплачено карткою — поверніть готівкою.</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN — %n attempt(s) left before the account locks.</source>
        <translation>
            <numerusform>Неправильний PIN — залишилася %n спроба до блокування.</numerusform>
            <numerusform>Неправильний PIN — залишилося %n спроби до блокування.</numerusform>
            <numerusform>Неправильний PIN — залишилося %n спроб до блокування.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong PIN — try again.</source>
        <translation>Неправильний PIN — спробуйте ще раз.</translation>
    </message>
    <message>
        <source>Too many wrong PINs — ask a manager to unlock the account.</source>
        <translation>Забагато неправильних PIN — попросіть менеджера розблокувати обліковий запис.</translation>
    </message>
    <message>
        <source>A manager must approve this.</source>
        <translation>Це має підтвердити менеджер.</translation>
    </message>
    <message>
        <source>Log in with your PIN first.</source>
        <translation>Спершу увійдіть за допомогою PIN.</translation>
    </message>
    <message>
        <source>Age-restricted product — check the customer&apos;s ID.</source>
        <translation>Товар з віковим обмеженням — перевірте документ покупця.</translation>
    </message>
    <message>
        <source>Printer out of paper — replace the roll and press Retry.</source>
        <translation>У принтері закінчився папір — замініть рулон і натисніть «Повторити».</translation>
    </message>
    <message>
        <source>Printer cover is open — close it and press Retry.</source>
        <translation>Кришку принтера відкрито — закрийте її і натисніть «Повторити».</translation>
    </message>
    <message>
        <source>The device does not answer — check its power and cable, then press Retry.</source>
        <translation>Пристрій не відповідає — перевірте живлення й кабель, потім натисніть «Повторити».</translation>
    </message>
    <message>
        <source>The device is busy — wait a moment and press Retry.</source>
        <translation>Пристрій зайнятий — зачекайте трохи і натисніть «Повторити».</translation>
    </message>
    <message>
        <source>The device reported an error — check its display, then press Retry. If it repeats, call support (code {code}).</source>
        <translation>Пристрій повідомив про помилку — перевірте його дисплей, потім натисніть «Повторити». Якщо повториться, зверніться до підтримки (код {code}).</translation>
    </message>
    <message>
        <source>The fiscal day is not open — check the fiscal device, then press Retry.</source>
        <translation>Фіскальну зміну не відкрито — перевірте фіскальний пристрій, потім натисніть «Повторити».</translation>
    </message>
    <message>
        <source>The fiscal device needs a Z report — close the shift (F9).</source>
        <translation>Фіскальному пристрою потрібен Z-звіт — закрийте зміну (F9).</translation>
    </message>
    <message>
        <source>The fiscal device did not confirm the receipt — it will not be sent twice. Check the device and press Retry.</source>
        <translation>Фіскальний пристрій не підтвердив чек — двічі його не буде надіслано. Перевірте пристрій і натисніть «Повторити».</translation>
    </message>
    <message>
        <source>The fiscal service is offline too long — connect the till to the internet, then press Retry.</source>
        <translation>Фіскальний сервіс занадто довго офлайн — підключіть касу до інтернету, потім натисніть «Повторити».</translation>
    </message>
    <message>
        <source>The fiscal device lacks a VAT rate of this sale — call the service engineer.</source>
        <translation>У фіскальному пристрої немає ставки ПДВ цього продажу — викличте сервісного інженера.</translation>
    </message>
    <message>
        <source>The original sale has no fiscal receipt on this device — refund it at the till where it was sold.</source>
        <translation>Для початкового продажу немає фіскального чека на цьому пристрої — оформіть повернення на касі, де його продано.</translation>
    </message>
    <message>
        <source>No fiscal device is configured — a manager can set one up in Settings.</source>
        <translation>Фіскальний пристрій не налаштовано — менеджер може налаштувати його в Налаштуваннях.</translation>
    </message>
    <message>
        <source>The fiscal device refused the document — call support (code {code}).</source>
        <translation>Фіскальний пристрій відхилив документ — зверніться до підтримки (код {code}).</translation>
    </message>
    <message>
        <source>The till is busy saving — press Retry.</source>
        <translation>Каса зайнята збереженням — натисніть «Повторити».</translation>
    </message>
    <message>
        <source>The till could not save — the disk may be full or damaged. What is already sold is kept; call support.</source>
        <translation>Касі не вдалося зберегти дані — диск може бути заповнений або пошкоджений. Уже продане збережено; зверніться до підтримки.</translation>
    </message>
    <message>
        <source>Something went wrong — what is already sold is kept. Press Retry; if it happens again, call support (code {code}).</source>
        <translation>Щось пішло не так — уже продане збережено. Натисніть «Повторити»; якщо повториться, зверніться до підтримки (код {code}).</translation>
    </message>
    <message>
        <source>not configured</source>
        <translation>не налаштовано</translation>
    </message>
    <message>
        <source>No receipt printer is set up — a manager can add one in Settings (F11).</source>
        <translation>Принтер чеків не налаштовано — менеджер може додати його в Налаштуваннях (F11).</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>немає паперу</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>кришку відкрито</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>офлайн</translation>
    </message>
    <message>
        <source>Printer does not answer — check its power and cable, then press Retry.</source>
        <translation>Принтер не відповідає — перевірте живлення й кабель, потім натисніть «Повторити».</translation>
    </message>
    <message>
        <source>paper low</source>
        <translation>папір закінчується</translation>
    </message>
    <message>
        <source>Printer paper is running out — have a new roll ready.</source>
        <translation>У принтері закінчується папір — підготуйте новий рулон.</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>перевірка…</translation>
    </message>
    <message>
        <source>error</source>
        <translation>помилка</translation>
    </message>
    <message>
        <source>Printer reports an error — check it, then press Retry.</source>
        <translation>Принтер повідомляє про помилку — перевірте його, потім натисніть «Повторити».</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>готовий</translation>
    </message>
    <message>
        <source>Fiscal device does not answer — check its power and cable; receipts wait and are sent once it answers.</source>
        <translation>Фіскальний пристрій не відповідає — перевірте живлення й кабель; чеки чекають і будуть надіслані, щойно він відповість.</translation>
    </message>
    <message numerus="yes">
        <source>%n to check</source>
        <translation>
            <numerusform>%n на перевірку</numerusform>
            <numerusform>%n на перевірку</numerusform>
            <numerusform>%n на перевірку</numerusform>
        </translation>
    </message>
    <message>
        <source>Some receipts were not confirmed by the fiscal device — check the device, then press Retry.</source>
        <translation>Деякі чеки не підтверджено фіскальним пристроєм — перевірте пристрій, потім натисніть «Повторити».</translation>
    </message>
    <message numerus="yes">
        <source>%n refused</source>
        <translation>
            <numerusform>%n відхилено</numerusform>
            <numerusform>%n відхилено</numerusform>
            <numerusform>%n відхилено</numerusform>
        </translation>
    </message>
    <message>
        <source>Fiscal device reports: {detail}</source>
        <translation>Фіскальний пристрій повідомляє: {detail}</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>попередження</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) waiting</source>
        <translation>
            <numerusform>%n подія в черзі</numerusform>
            <numerusform>%n події в черзі</numerusform>
            <numerusform>%n подій у черзі</numerusform>
        </translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>не підключено</translation>
    </message>
    <message>
        <source>online</source>
        <translation>онлайн</translation>
    </message>
    <message>
        <source>last {time}</source>
        <translation>востаннє {time}</translation>
    </message>
    <message>
        <source>error: {detail}</source>
        <translation>помилка: {detail}</translation>
    </message>
</context>
<context>
    <name>Returns</name>
    <message>
        <source>Return</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <source>Scan the receipt barcode or type its number</source>
        <translation>Відскануйте штрихкод чека або введіть його номер</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>Returned before</source>
        <translation>Повернено раніше</translation>
    </message>
    <message>
        <source>Return now</source>
        <translation>Повернути зараз</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сума</translation>
    </message>
    <message>
        <source>Quantity to return for the chosen line, then Enter (empty = all of it):</source>
        <translation>Кількість до повернення для вибраного рядка, потім Enter (порожньо = усе):</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <source>Return all</source>
        <translation>Повернути все</translation>
    </message>
    <message>
        <source>Cash / card</source>
        <translation>Готівка / картка</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Повернути кошти</translation>
    </message>
    <message>
        <source>Everything on this receipt was already returned.</source>
        <translation>Усе за цим чеком уже повернено.</translation>
    </message>
    <message>
        <source>Enter a quantity like 1 or 0,250.</source>
        <translation>Введіть кількість, наприклад 1 або 0,250.</translation>
    </message>
    <message>
        <source>At most {left} can be returned from this line.</source>
        <translation>З цього рядка можна повернути щонайбільше {left}.</translation>
    </message>
    <message>
        <source>to the card</source>
        <translation>на картку</translation>
    </message>
    <message>
        <source>in cash</source>
        <translation>готівкою</translation>
    </message>
    <message>
        <source>Refund {amount} {how}</source>
        <translation>Повернути {amount} {how}</translation>
    </message>
    <message>
        <source>Choose what comes back first (a quantity and Enter, or F2 for everything).</source>
        <translation>Спершу виберіть, що повертається (кількість і Enter або F2 — усе).</translation>
    </message>
</context>
<context>
    <name>Sale</name>
    <message>
        <source>Subtotal</source>
        <translation>Проміжний підсумок</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Знижка</translation>
    </message>
    <message>
        <source>TOTAL</source>
        <translation>РАЗОМ</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n рядок</numerusform>
            <numerusform>%n рядки</numerusform>
            <numerusform>%n рядків</numerusform>
        </translation>
    </message>
    <message>
        <source>VAT {rate}%: {amount}</source>
        <translation>ПДВ {rate}%: {amount}</translation>
    </message>
    <message>
        <source>VAT: —</source>
        <translation>ПДВ: —</translation>
    </message>
    <message>
        <source>Receipt {number} paid.</source>
        <translation>Чек {number} оплачено.</translation>
    </message>
    <message>
        <source>CHANGE: {amount}</source>
        <translation>РЕШТА: {amount}</translation>
    </message>
    <message>
        <source>Find product</source>
        <translation>Пошук товару</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Кількість</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Ціна</translation>
    </message>
    <message>
        <source>Void line</source>
        <translation>Сторно рядка</translation>
    </message>
    <message>
        <source>Cancel sale</source>
        <translation>Скасувати продаж</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <source>Cash in/out</source>
        <translation>Внесення/вилучення</translation>
    </message>
    <message>
        <source>Shift / X / Z</source>
        <translation>Зміна / X / Z</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Чеки</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Налаштування</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Вийти</translation>
    </message>
    <message>
        <source>PAY</source>
        <translation>ОПЛАТА</translation>
    </message>
    <message>
        <source>Scan, or type a barcode or product name</source>
        <translation>Скануйте або введіть штрихкод чи назву товару</translation>
    </message>
    <message>
        <source>Ready — scan the first product</source>
        <translation>Готово — відскануйте перший товар</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Дякуємо!</translation>
    </message>
    <message>
        <source>Next customer: scan the first product</source>
        <translation>Наступний покупець: відскануйте перший товар</translation>
    </message>
    <message>
        <source>Added to the sale: {name}</source>
        <translation>Додано до продажу: {name}</translation>
    </message>
    <message>
        <source>Nothing found for “{query}” — check the spelling or scan the barcode.</source>
        <translation>За запитом «{query}» нічого не знайдено — перевірте написання або відскануйте штрихкод.</translation>
    </message>
    <message>
        <source>Type part of the product name</source>
        <translation>Введіть частину назви товару</translation>
    </message>
    <message>
        <source>Results appear as you type; arrows choose, Enter adds.</source>
        <translation>Результати з&apos;являються під час введення; стрілки — вибір, Enter — додати.</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Settings</source>
        <translation>Налаштування</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <source>Save this page</source>
        <translation>Зберегти цю сторінку</translation>
    </message>
    <message>
        <source>Screen language</source>
        <translation>Мова екрана</translation>
    </message>
    <message>
        <source>Store / till</source>
        <translation>Магазин / каса</translation>
    </message>
    <message>
        <source>Country / currency</source>
        <translation>Країна / валюта</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Мова</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Принтер чеків</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Назва</translation>
    </message>
    <message>
        <source>Network address</source>
        <translation>Мережева адреса</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>Save adds this network printer (it must answer). USB and serial printers are added with the local API.</source>
        <translation>«Зберегти» додає цей мережевий принтер (він має відповідати). USB- і COM-принтери додаються через локальний API.</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Принтер</translation>
    </message>
    <message>
        <source>Printers are not available on this till.</source>
        <translation>Принтери недоступні на цій касі.</translation>
    </message>
    <message>
        <source>No printer yet.</source>
        <translation>Принтерів ще немає.</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Немає</translation>
    </message>
    <message>
        <source>Fiscal device</source>
        <translation>Фіскальний пристрій</translation>
    </message>
    <message>
        <source>Datecs address</source>
        <translation>Адреса Datecs</translation>
    </message>
    <message>
        <source>Datecs port</source>
        <translation>Порт Datecs</translation>
    </message>
    <message>
        <source>Checkbox server</source>
        <translation>Сервер Checkbox</translation>
    </message>
    <message>
        <source>Checkbox licence key</source>
        <translation>Ключ ліцензії Checkbox</translation>
    </message>
    <message>
        <source>Checkbox cashier login</source>
        <translation>Логін касира Checkbox</translation>
    </message>
    <message>
        <source>Checkbox cashier password</source>
        <translation>Пароль касира Checkbox</translation>
    </message>
    <message>
        <source>Cloud address</source>
        <translation>Адреса хмари</translation>
    </message>
    <message>
        <source>Enrollment code</source>
        <translation>Код реєстрації</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Стан</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Хмара</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Збережено.</translation>
    </message>
</context>
<context>
    <name>Shift</name>
    <message>
        <source>Enter an amount like 500 or 500,50.</source>
        <translation>Введіть суму, наприклад 500 або 500,50.</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s)</source>
        <translation>
            <numerusform>%n чек</numerusform>
            <numerusform>%n чеки</numerusform>
            <numerusform>%n чеків</numerusform>
        </translation>
    </message>
    <message>
        <source>Shift {number}</source>
        <translation>Зміна {number}</translation>
    </message>
    <message>
        <source>Opened {when} by {name} · open for {age}</source>
        <translation>Відкрито {when}, касир {name} · триває {age}</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s) in this shift</source>
        <translation>
            <numerusform>%n чек у цій зміні</numerusform>
            <numerusform>%n чеки в цій зміні</numerusform>
            <numerusform>%n чеків у цій зміні</numerusform>
        </translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>X report</source>
        <translation>X-звіт</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Внесення</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Вилучення</translation>
    </message>
    <message>
        <source>Close shift (Z)</source>
        <translation>Закрити зміну (Z)</translation>
    </message>
    <message>
        <source>Z report</source>
        <translation>Z-звіт</translation>
    </message>
    <message>
        <source>{kind} · shift {number}</source>
        <translation>{kind} · зміна {number}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрити</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Друк</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>Сформовано</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажі</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Повернення</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>Чиста виручка</translation>
    </message>
    <message>
        <source>Discounts given</source>
        <translation>Надано знижок</translation>
    </message>
    <message>
        <source>Cash rounding</source>
        <translation>Заокруглення готівки</translation>
    </message>
    <message>
        <source>VAT {rate}% ({group})</source>
        <translation>ПДВ {rate}% ({group})</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Готівка</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Картка</translation>
    </message>
    <message>
        <source>taken {sales} · refunded {refunds}</source>
        <translation>отримано {sales} · повернено {refunds}</translation>
    </message>
    <message>
        <source>Opening float</source>
        <translation>Розмінна монета</translation>
    </message>
    <message>
        <source>Expected cash in drawer</source>
        <translation>Очікувано готівки в касі</translation>
    </message>
    <message>
        <source>Counted cash</source>
        <translation>Пораховано готівки</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Різниця</translation>
    </message>
    <message>
        <source>Voided lines / cancelled sales</source>
        <translation>Сторновані рядки / скасовані продажі</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Retry</source>
        <translation>Повторити</translation>
    </message>
    <message>
        <source>Shift: closed</source>
        <translation>Зміна: закрита</translation>
    </message>
    <message>
        <source>Shift {number}: open {age}</source>
        <translation>Зміна {number}: відкрита {age}</translation>
    </message>
    <message>
        <source>Fiscal: {state}</source>
        <translation>ФН: {state}</translation>
    </message>
    <message>
        <source>Printer: {state}</source>
        <translation>Принтер: {state}</translation>
    </message>
    <message>
        <source>Sync: {state}</source>
        <translation>Синхр.: {state}</translation>
    </message>
</context>
<context>
    <name>TillActions</name>
    <message>
        <source>Copy of {number} sent to the printer.</source>
        <translation>Копію чека {number} надіслано на принтер.</translation>
    </message>
    <message>
        <source>No receipt printer is set up — a manager can add one in Settings (F11).</source>
        <translation>Принтер чеків не налаштовано — менеджер може додати його в Налаштуваннях (F11).</translation>
    </message>
    <message>
        <source>Cash in or out</source>
        <translation>Внесення або вилучення готівки</translation>
    </message>
    <message>
        <source>Put cash into the drawer, or take cash out of it?</source>
        <translation>Внести готівку в касу чи вилучити з неї?</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Внесення</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Вилучення</translation>
    </message>
    <message>
        <source>Cash in recorded</source>
        <translation>Внесення зареєстровано</translation>
    </message>
    <message>
        <source>Cash out recorded</source>
        <translation>Вилучення зареєстровано</translation>
    </message>
    <message>
        <source>Shift {number} is open</source>
        <translation>Зміну {number} відкрито</translation>
    </message>
    <message>
        <source>Scan the first product.</source>
        <translation>Відскануйте перший товар.</translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation>Відкрити зміну</translation>
    </message>
    <message>
        <source>Cash in the drawer now (opening float):</source>
        <translation>Готівка в касі зараз (розмінна монета):</translation>
    </message>
    <message>
        <source>Close shift (Z report)</source>
        <translation>Закрити зміну (Z-звіт)</translation>
    </message>
    <message>
        <source>Count the cash in the drawer and enter the total:</source>
        <translation>Порахуйте готівку в касі та введіть суму:</translation>
    </message>
    <message>
        <source>The expected amount is shown on the Z report after closing.</source>
        <translation>Очікувану суму буде показано в Z-звіті після закриття.</translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message numerus="yes">
        <source>%n h</source>
        <comment>hours</comment>
        <translation>
            <numerusform>%n год</numerusform>
            <numerusform>%n год</numerusform>
            <numerusform>%n год</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <comment>minutes</comment>
        <translation>
            <numerusform>%n хв</numerusform>
            <numerusform>%n хв</numerusform>
            <numerusform>%n хв</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>pcs</source>
        <translation>шт</translation>
    </message>
    <message>
        <source>kg</source>
        <translation>кг</translation>
    </message>
    <message>
        <source>l</source>
        <translation>л</translation>
    </message>
    <message>
        <source>m</source>
        <translation>м</translation>
    </message>
</context>
<context>
    <name>VatGroups</name>
    <message>
        <source>standard</source>
        <translation>основна</translation>
    </message>
    <message>
        <source>reduced</source>
        <translation>знижена</translation>
    </message>
    <message>
        <source>super-reduced</source>
        <translation>пільгова</translation>
    </message>
    <message>
        <source>agricultural</source>
        <translation>сільгосппродукція</translation>
    </message>
    <message>
        <source>housing</source>
        <translation>житло</translation>
    </message>
    <message>
        <source>zero-rated</source>
        <translation>нульова</translation>
    </message>
    <message>
        <source>exempt</source>
        <translation>звільнено</translation>
    </message>
</context>
</TS>
