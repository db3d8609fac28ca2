# ruff: noqa: E501  (data: one phrasing per string; long ones stay unbroken)
"""Spanish phrase pools for build_corpus.py (same keys and policy as phrases_en.py)."""

FILL = {
    "item": [
        "jersey azul",
        "bolso",
        "cargador",
        "abrigo",
        "reloj de pared",
        "altavoz",
        "cojín",
        "monedero",
        "juego de tazas",
        "paraguas",
        "edredón",
        "jarrón",
        "vestido",
        "molinillo de café",
        "casco de bici",
        "pantalón vaquero",
        "collar",
        "set de velas",
        "felpudo",
        "termo",
    ],
    "when": [
        "ayer",
        "esta mañana",
        "anoche",
        "el lunes",
        "hace dos días",
        "la semana pasada",
        "el día 3",
        "hace una hora",
        "el viernes por la tarde",
        "hoy temprano",
        "el 12 de marzo",
        "hace unos minutos",
        "el fin de semana",
    ],
    "name": [
        "Lucía García",
        "Javier Martínez",
        "Carmen López",
        "Pablo Sánchez",
        "Marta Fernández",
        "Diego Romero",
        "Elena Ruiz",
        "Andrés Torres",
        "Sofía Navarro",
        "Carlos Jiménez",
        "Valentina Rojas",
        "Mateo Herrera",
    ],
    "street": [
        "Calle Mayor 14",
        "Avenida de la Paz 7",
        "Calle del Sol 22, 3ºB",
        "Paseo de Gracia 101",
        "Calle Luna 3",
        "Plaza España 9",
        "Calle Alcalá 250",
        "Avenida Libertad 41",
    ],
    "city": [
        "28013 Madrid",
        "08008 Barcelona",
        "46001 Valencia",
        "41001 Sevilla",
        "29015 Málaga",
        "48001 Bilbao",
        "50001 Zaragoza",
        "Ciudad de México 06700",
    ],
    "zip": ["28013", "08008", "46001", "41001", "29015", "48001"],
    "amount": ["24,99 €", "59 €", "35,00 €", "129,95 €", "12,50 €", "89 euros"],
    "country": ["Portugal", "México", "Francia", "Andorra", "Chile"],
    "shop": ["Northwind Goods", "Little Fern", "Brightside Home", "Oak & Ash", "Pebble Store"],
}

OPENINGS = [
    "Hola,",
    "Buenos días,",
    "Buenas tardes,",
    "Estimados señores:",
    "Hola equipo de {shop},",
    "Hola buenas,",
    "Buenas,",
    "Estimado equipo:",
    "Saludos,",
    "Qué tal,",
]

CLOSINGS = [
    "Un saludo,\n{name}",
    "Saludos\n{name}",
    "Muchas gracias,\n{name}",
    "Atentamente,\n{name}",
    "Gracias de antemano",
    "Un abrazo,\n{name}",
    "Enviado desde mi iPhone",
    "Gracias!",
    "Saludos cordiales,\n{name}",
    "Quedo a la espera.\n{name}",
]

FOLLOWUPS = [
    "Por favor, confírmenme cuando esté hecho.",
    "Gracias de antemano por su ayuda.",
    "Quedo atento a su respuesta.",
    "Disculpen las molestias.",
    "Avísenme si necesitan algo más.",
    "Les agradecería una respuesta rápida.",
]

CONTEXT = [
    "Mi número de pedido es {order}.",
    "Pedí el {item} {when}.",
    "El pedido está a nombre de {name}.",
    "Pagué con PayPal.",
    "Pagué con tarjeta.",
    "Soy cliente habitual.",
    "Era un regalo para mi hermana.",
    "Usé el código de descuento PRIMAVERA10.",
    "Hice el pedido desde la app.",
    "El total fue {amount}.",
    "Compré como invitado.",
    "Pedido nº {order}",
    "Se trata del pedido {order}.",
]

STORY = [
    "Les cuento lo que pasó.",
    "Soy cliente desde hace años y nunca había tenido problemas.",
    "La semana pasada estuve mirando su web por la noche y elegí varias cosas.",
    "Mi hija eligió el {item} para su habitación.",
    "Hice el pedido con prisas.",
    "Una amiga me recomendó su tienda.",
    "Intenté llamar pero nadie contestó.",
    "Miré las preguntas frecuentes pero no encontré la respuesta.",
    "El {item} era para el cumpleaños de mi padre.",
    "Intentaré ser breve.",
    "Normalmente compro en la tienda física.",
]

QUOTE_HEADERS = [
    "El {date}, a las {time}, {shop} <support@shop.example> escribió:",
    "El {weekday}, {date} {shop} <support@shop.example> escribió:",
]

OUTLOOK = "-----Mensaje original-----\nDe: {shop} <support@shop.example>\nEnviado el: {date} {time}\nAsunto: {subject}"

QUOTED = [
    "¡Gracias por tu pedido {order}! Te avisaremos cuando salga. Si necesitas cambiar o cancelar algo, responde a este correo.",
    "Tu pedido {order} ya está en camino. Puedes seguir el envío con el enlace de abajo.",
    "Hola {first}, gracias por escribirnos. ¿Nos puedes enviar el número de pedido?",
    "Hemos recibido tu devolución. Los reembolsos tardan normalmente entre 5 y 7 días laborables.",
]

SUBJECTS = {
    "cancel": [
        "Cancelar pedido",
        "Cancelación",
        "Cancelar pedido {order}",
        "Anulación de pedido",
        "cancelar",
        "Quiero cancelar",
    ],
    "duplicate": ["Pedido duplicado", "Pedido doble", "Cobro duplicado", "Pedí dos veces", "Me cobraron dos veces"],
    "address_fix": [
        "Cambio de dirección",
        "Dirección incorrecta",
        "Cambiar dirección de envío",
        "Error en la dirección",
    ],
    "refund": [
        "Reembolso",
        "Solicitud de reembolso",
        "¿Dónde está mi reembolso?",
        "Devolución del dinero",
        "reembolso {order}",
    ],
    "other": [
        "Consulta",
        "Pregunta",
        "¿Dónde está mi pedido?",
        "Plazo de entrega",
        "Venta al por mayor",
        "Factura",
        "Tallas",
    ],
    "neutral": [
        "Pedido {order}",
        "Mi pedido",
        "Ayuda",
        "RE: Tu pedido {order}",
        "Problema con mi pedido",
        "Urgente",
        "Hola",
    ],
}

REQUESTS = {
    "cancel": [
        "Por favor, cancelen mi pedido {order}.",
        "Quiero cancelar el pedido {order}.",
        "¿Pueden cancelar mi pedido?",
        "cancelar pedido {order}",
        "¿Cómo cancelo mi pedido?",
        "Necesito cancelar el pedido que hice {when}.",
        "He cambiado de opinión, cancelen el pedido por favor.",
        "Ya no necesito el {item}, por favor cancélenlo.",
        "Quisiera anular mi compra.",
        "Por favor, no envíen el pedido, quiero cancelarlo.",
        "¿Todavía puedo cancelar mi pedido?",
        "Cancelen todo el pedido, por favor.",
        "quiero cancelar mi pedido",
        "Solicito la cancelación del pedido {order}.",
        "Por favor anulen el pedido {order} cuanto antes.",
        "Me equivoqué al pedir, cancelen la compra por favor.",
        "¿Me ayudan a cancelar mi pedido?",
        "Cancelen solo el {item} del pedido {order}, el resto sí lo quiero.",
        "No quiero el pedido, cancélenlo.",
        "Necesito que cancelen la compra urgentemente.",
        "cancelar compra porfa",
        "Deseo cancelar mi pedido antes de que lo envíen.",
        "¿Cómo puedo anular un pedido que acabo de hacer?",
        "Hagan el favor de cancelar mi pedido.",
    ],
    "duplicate": [
        "Hice el mismo pedido dos veces sin querer.",
        "Creo que mi pedido se duplicó.",
        "Me han cobrado dos veces el mismo pedido.",
        "Recibí dos confirmaciones, {order} y {order2}, pero solo quería un pedido.",
        "Tengo dos pedidos iguales en mi cuenta.",
        "Se me cobró {amount} dos veces.",
        "La web se colgó, volví a pagar y ahora hay dos pedidos.",
        "pedido duplicado {order}",
        "Veo un cargo doble en mi tarjeta por una sola compra.",
        "El pago se hizo dos veces.",
        "Compré el {item} dos veces por error.",
        "El pedido {order2} es un duplicado del {order}.",
        "me cobraron doble",
        "Se generaron dos pedidos en vez de uno.",
    ],
    "address_fix": [
        "Necesito cambiar la dirección de envío del pedido {order}.",
        "Por favor, cambien la dirección de entrega a {addr}.",
        "Puse mal la dirección, la correcta es {addr}.",
        "El número de la calle está mal, es {street}.",
        "Me equivoqué en el código postal, es {zip}.",
        "Envíen el paquete a {addr}, por favor.",
        "Me he mudado, entreguen el pedido en {addr}.",
        "¿Cómo cambio la dirección de envío de mi pedido?",
        "¡Dirección incorrecta en el pedido {order}!",
        "Olvidé poner el piso y la puerta: {street}.",
        "¿Se puede cambiar todavía la dirección? La nueva es {addr}.",
        "cambiar direccion de envio",
        "Puse mi dirección antigua, corríjanla a {addr} por favor.",
        "Manden el pedido a mi trabajo: {addr}.",
        "La ciudad está mal, debe ser {city}.",
        "Quiero modificar la dirección de entrega.",
        "la direccion esta mal, cambienla",
    ],
    "refund": [
        "Quiero un reembolso del pedido {order}.",
        "Por favor, devuélvanme el dinero.",
        "Quiero que me devuelvan el dinero.",
        "¿Cuándo recibiré mi reembolso?",
        "¿Dónde está mi reembolso?",
        "Devolví el {item} {when} y aún no me han reembolsado.",
        "El {item} llegó roto, quiero un reembolso.",
        "¿Me pueden hacer un reembolso?",
        "reembolso por favor",
        "Sigo esperando el reembolso.",
        "Quiero devolver el {item} y recuperar mi dinero.",
        "Reembolsen los gastos de envío, por favor.",
        "Me falta recibir {amount} del reembolso.",
        "¿Cómo pido un reembolso?",
        "Ya recibieron la devolución, ¿cuándo me pagan?",
        "Exijo el reembolso completo.",
        "¿En qué estado está mi reembolso?",
        "quiero mi dinero de vuelta",
        "Solicito el reembolso de {amount}.",
    ],
}

COMBOS = {
    ("duplicate", "cancel"): [
        "Pedí dos veces por error, cancelen el segundo pedido por favor.",
        "El pedido {order2} está duplicado, cancélenlo.",
        "Hice el pedido dos veces, anulen uno de los dos.",
    ],
    ("duplicate", "refund"): [
        "Me cobraron dos veces, devuélvanme el cargo duplicado.",
        "Pagué dos veces, quiero el reembolso de uno.",
    ],
    ("duplicate", "cancel", "refund"): [
        "Pedí y pagué dos veces lo mismo; cancelen un pedido y devuélvanme el dinero.",
    ],
    ("cancel", "refund"): [
        "Cancelen el pedido y devuélvanme el dinero, por favor.",
        "Quiero cancelar el pedido {order} y que me reembolsen.",
        "cancelar y reembolsar porfa",
    ],
    ("address_fix", "cancel"): ["Si no pueden cambiar la dirección, cancelen el pedido."],
}

NEGATIONS = {
    "cancel": [
        "Por favor, no cancelen mi pedido, todavía lo quiero.",
        "Cancelé el pedido por error, ¿pueden deshacerlo?",
        "Olviden mi correo anterior sobre la cancelación, quiero mantener el pedido.",
        "No quiero cancelar, solo tengo una duda.",
        "Anulé la compra sin querer, por favor reactívenla.",
        "¡No lo cancelen!",
    ],
    "duplicate": ["No es un duplicado, quería dos pedidos.", "Los dos pedidos son intencionados, envíen ambos."],
    "address_fix": [
        "La dirección es correcta, no hace falta cambiarla.",
        "Olviden el cambio de dirección, la original está bien.",
    ],
    "refund": [
        "No quiero reembolso, prefiero que me envíen otro.",
        "No quiero el dinero, quiero el producto.",
        "No hace falta reembolso, lo cambio por otra talla.",
    ],
}

LOOKALIKES = {
    "cancel": [
        "Quiero cancelar mi suscripción al boletín.",
        "¿Cómo elimino mi cuenta?",
        "¿Se puede cancelar un pedido una vez hecho?",
        "¿Cuál es su política de cancelación?",
        "¿Cobran algo por cancelar?",
        "¿Por qué cancelaron mi pedido? Yo no lo pedí.",
        "Se canceló mi viaje, así que estaré en casa para recibir el paquete.",
        "Dejen de enviarme correos publicitarios.",
    ],
    "duplicate": [
        "Quiero volver a pedir el mismo {item}, ¿hay stock?",
        "Ya he escrito dos veces preguntando por el seguimiento.",
        "¿Hay descuento si compro dos?",
    ],
    "address_fix": [
        "¿Cómo añado una dirección nueva a mi cuenta?",
        "Quiero cambiar mi correo electrónico.",
        "¿Cuál es la dirección para devoluciones?",
        "¿Dónde está su tienda física?",
        "Pongan la dirección de mi empresa en la factura.",
    ],
    "refund": [
        "¿Cuál es su política de reembolsos?",
        "¿Los artículos rebajados se pueden devolver?",
        "¿Cuánto suelen tardar los reembolsos?",
        "¿Puedo cambiar el {item} por otro color?",
        "Ya me llegó el reembolso, ¡gracias!",
    ],
}

OTHER = [
    "¿Dónde está mi pedido?",
    "¿Cuándo llega mi pedido {order}?",
    "¿Ya enviaron mi pedido?",
    "¿Me pasan el número de seguimiento?",
    "¿Tienen el {item} en talla L?",
    "¿Cuándo vuelve a haber stock del {item}?",
    "¿De qué material es el {item}?",
    "¿Envían a {country}?",
    "¿Cuánto cuesta el envío a {country}?",
    "¿Tienen precios para mayoristas?",
    "Tenemos una tienda y nos gustaría vender sus productos.",
    "Necesito una factura con los datos de mi empresa.",
    "¿Qué métodos de pago aceptan?",
    "Mi código de descuento no funciona.",
    "No puedo entrar en mi cuenta.",
    "¿Hacen envoltorio de regalo?",
    "El {item} llegó hoy y es precioso, ¡gracias!",
    "¿Cómo se lava el {item}?",
    "¿Puedo cambiar la talla en mi pedido?",
    "Mi pedido va con retraso, ¿alguna novedad?",
    "El paquete está retenido en aduanas.",
    "¿Cuánto tarda el envío?",
    "¿Puedo añadir otro {item} a mi pedido?",
    "donde esta mi paquete",
    "¿Puedo hablar con una persona?",
    "Quiero quejarme del repartidor.",
    "¿Tienen descuento para estudiantes?",
]

REASONS = {
    "cancel": ["Lo encontré más barato en otro sitio.", "Elegí la talla equivocada.", "Han cambiado mis planes."],
    "duplicate": ["La página se quedó colgada al pagar.", "Pensé que el primer pedido no se había hecho."],
    "address_fix": ["Nos mudamos el mes pasado.", "El autocompletado puso mi dirección antigua."],
    "refund": ["La costura se abrió tras un lavado.", "No se parece nada a las fotos."],
}

TYPO_EXTRA = {"por favor": ["porfa", "x favor"], "pedido": ["pedio", "pdido"]}

OTHER += [
    "¿Cómo creo una cuenta?",
    "Por favor, borren mi cuenta.",
    "Olvidé mi contraseña",
    "No puedo iniciar sesión.",
    "¿Dónde encuentro mis facturas?",
    "¿Me reenvían la factura?",
    "Me rechazaron la tarjeta al pagar.",
    "¿Aceptan Apple Pay?",
    "¿Qué opciones de envío tienen?",
    "seguimiento del pedido {order}",
    "¿En qué estado está mi pedido?",
    "Quiero comprar el {item}, ¿cómo hago el pedido?",
    "¿Puedo cambiar el color en mi pedido?",
    "¿Cómo me suscribo al boletín?",
    "Quiero hablar con un agente.",
    "¿Dónde puedo dejar una reseña?",
    "¿El {item} se puede lavar a máquina?",
    "¿Tienen programa de puntos?",
    "¿Puedo recoger en tienda?",
    "Queremos pedir 300 unidades para un evento de empresa.",
]
LOOKALIKES["cancel"] += ["¿Cuánto cuesta cancelar un pedido?", "Quiero darme de baja de la membresía."]
LOOKALIKES["address_fix"] += ["¿Cómo configuro una dirección de envío en mi cuenta?"]
LOOKALIKES["refund"] += ["¿Qué condiciones hay para un reembolso?"]

FRAMES_SELF = [
    "Quiero {act}.",
    "Quisiera {act}.",
    "Necesito {act}.",
    "Me gustaría {act}.",
    "Tengo que {act}.",
    "¿Cómo puedo {act}?",
    "¿Puedo {act}?",
    "¿Cómo hago para {act}?",
    "Ayúdame a {act}.",
    "¿Me ayudan a {act}?",
    "Deseo {act}.",
    "No sé cómo {act}.",
    "quiero {act} porfa",
    "como puedo {act}",
]
FRAMES_SHOP = ["¿Pueden {act}?", "¿Podrían {act}?", "Por favor, ¿pueden {act}?"]
ACTS = {
    "cancel": [
        "cancelar mi pedido",
        "cancelar el pedido {order}",
        "anular mi compra",
        "cancelar mi compra",
        "anular el pedido {order}",
        "cancelar el pedido que hice {when}",
        "cancelar mi último pedido",
        "cancelar todo el pedido",
    ],
    "address_fix": [
        "cambiar la dirección de envío",
        "corregir la dirección de mi pedido",
        "cambiar la dirección del pedido {order}",
        "modificar la dirección de entrega",
        "actualizar mi dirección de envío",
        "enviar el pedido a {addr}",
        "corregir el código postal del pedido",
    ],
    "refund": [
        "S:pedir un reembolso",
        "S:recuperar mi dinero",
        "saber el estado de mi reembolso",
        "S:obtener el reembolso del pedido {order}",
        "P:devolverme el dinero",
        "P:reembolsar mi compra",
        "P:hacerme el reembolso",
        "S:solicitar la devolución del dinero",
    ],
    "other": [
        "rastrear mi pedido",
        "S:crear una cuenta",
        "borrar mi cuenta",
        "cambiar mi contraseña",
        "S:obtener una factura",
        "S:pagar con PayPal",
        "S:hablar con un agente",
        "S:dejar una reseña",
        "S:usar un código de descuento",
        "cambiar la talla de mi pedido",
        "S:comprar el {item}",
        "P:enviarme el número de seguimiento",
        "P:mandarme la factura",
        "S:recoger el pedido en tienda",
        "S:cambiar el método de pago",
    ],
    "lookalike": [
        "darme de baja del boletín",
        "cancelar mi suscripción al boletín",
        "S:añadir una dirección a mi cuenta",
        "cambiar mi correo electrónico",
        "S:saber si hay cargo por cancelar",
        "reactivar mi pedido cancelado",
        "S:volver a pedir el {item}",
        "cambiar el {item} por otro color",
    ],
}
DUP_FRAMES = [
    "{stmt}",
    "Creo que {stmt}.",
    "Hola, {stmt}.",
    "Ayuda, {stmt}.",
    "{stmt}, ¿lo pueden revisar?",
    "Parece que {stmt}.",
]
DUP_STMTS = [
    "hice el pedido dos veces",
    "mi pedido está duplicado",
    "me cobraron dos veces",
    "pagué dos veces el mismo pedido",
    "el pedido {order} aparece dos veces",
    "compré lo mismo dos veces sin querer",
]

GROUPS = {
    "cancel": [
        (
            "",
            ["cancelar", "anular"],
            [
                "mi pedido",
                "el pedido {order}",
                "mi compra",
                "la compra {order}",
                "el pedido que hice {when}",
                "mi último pedido",
                "todo el pedido",
                "mi pedido online",
                "la reserva del {item}",
            ],
        )
    ],
    "address_fix": [
        (
            "",
            ["cambiar", "corregir", "modificar", "actualizar"],
            [
                "la dirección de envío",
                "la dirección de mi pedido",
                "la dirección del pedido {order}",
                "mi dirección de entrega",
                "el código postal del pedido",
                "el número de la calle en mi pedido",
                "la dirección del destinatario",
            ],
        )
    ],
    "refund": [
        (
            "S",
            ["pedir", "solicitar", "recibir", "conseguir"],
            [
                "un reembolso",
                "el reembolso del pedido {order}",
                "la devolución de mi dinero",
                "un reembolso completo",
                "mi reembolso",
            ],
        ),
        (
            "",
            ["revisar", "consultar", "seguir"],
            ["el estado de mi reembolso", "mi reembolso", "el reembolso del pedido {order}"],
        ),
    ],
    "other": [
        (
            "",
            ["cancelar", "borrar", "eliminar"],
            ["mi suscripción al boletín", "mi cuenta", "mi membresía", "los correos de publicidad"],
        ),
        (
            "",
            ["cambiar", "actualizar", "restablecer"],
            ["mi contraseña", "mi correo electrónico", "mi teléfono", "mi método de pago", "la talla de mi pedido"],
        ),
        ("", ["rastrear", "seguir", "localizar"], ["mi pedido", "mi paquete", "el envío {order}"]),
        (
            "S",
            ["añadir", "guardar", "configurar"],
            ["una dirección nueva en mi cuenta", "una segunda dirección", "una dirección de facturación"],
        ),
    ],
}

ORDER_OBJECTS = [
    "mi pedido",
    "el pedido {order}",
    "mi compra",
    "la compra {order}",
    "mi último pedido",
    "el pedido que hice {when}",
]
GROUPS["other"] += [
    (
        "",
        ["rastrear", "revisar", "pagar", "valorar", "localizar", "ver el estado de", "obtener la factura de"],
        ORDER_OBJECTS,
    ),
]

NEUTRAL = [
    "¿Hola?",
    "¿Me pueden ayudar?",
    "Tengo una pregunta.",
    "Llámenme, por favor.",
    "¿Alguna novedad?",
    "Necesito ayuda.",
    "Adjunto archivo.",
    "Es sobre mi pedido {order}.",
    "Tengo un problema con mi pedido.",
    "Por favor, contéstenme.",
    "Les escribí la semana pasada.",
]

REQUESTS["cancel"] += [
    "Anulen mi pedido, por favor.",
    "Quiero dar de baja el pedido {order}.",
    "No envíen nada, cancelo el pedido.",
    "¿Se puede cancelar todavía? Entonces cancélenlo.",
    "Cancelación del pedido {order}, por favor.",
]
REQUESTS["refund"] += [
    "¿Cuándo me devuelven el dinero?",
    "Quiero que me reintegren {amount}.",
    "Devuélvanme el importe, por favor.",
    "El reembolso no ha llegado todavía.",
]
OTHER += [
    "¿Cuándo envían mi pedido?",
    "¿Tienen el {item} en negro?",
    "¿Hacen descuentos por cantidad?",
    "Quiero poner una queja.",
    "¿Cómo contacto con atención al cliente?",
    "El envío llega tarde.",
]
FRAMES_SELF += ["¿Es posible {act}?", "Quería {act}.", "Necesitaría {act}."]

GROUPS["other"] += [
    (
        "S",
        ["añadir", "guardar", "registrar"],
        ["una dirección de envío en mi cuenta", "una dirección nueva para futuros pedidos"],
    ),
    (
        "S",
        ["consultar", "conocer", "entender"],
        ["la política de reembolsos", "la tarifa de cancelación", "las condiciones de devolución"],
    ),
]

# --- Ronda 2: frases cortas y cotidianas (política como en README.md). ---
REQUESTS["cancel"] += [
    "Necesito ayuda para cancelar mi compra.",
    "cancelar pedido {order} por favor",
    "Quiero cancelar la compra que hice {when}.",
    "¿Cómo cancelo mi pedido?",
    "Ya no quiero el pedido, cancélenlo por favor.",
    "Por favor, quiten el {item} de mi pedido.",
    "Solicito la cancelación del pedido {order}.",
]
REQUESTS["refund"] += [
    "Quiero un reembolso.",
    "¿Dónde está mi reembolso?",
    "¿Cuándo me devuelven el dinero?",
    "Quiero que me devuelvan mi dinero.",
    "Necesito ayuda para obtener un reembolso.",
    "¿Cuál es el estado de mi reembolso?",
    "Devolví el {item} {when} y sigo esperando el reembolso.",
    "Por favor, reembólsenme {amount}.",
]
REQUESTS["address_fix"] += [
    "Necesito cambiar la dirección de envío.",
    "La dirección de mi pedido está mal, por favor corríjanla.",
    "Envíen mi pedido a otra dirección: {addr}.",
    "¿Puedo cambiar todavía la dirección de entrega del pedido {order}?",
    "Me mudé, por favor manden el pedido a {addr}.",
]
OTHER += [
    "¿Dónde está mi paquete?",
    "¿Cuándo llega mi pedido?",
    "¿Cómo puedo rastrear mi compra?",
    "Estado del pedido {order}",
    "Quiero cambiar la talla del {item} en mi pedido.",
    "¿Puedo añadir un artículo a mi pedido?",
    "¿Cómo guardo una nueva dirección en mi cuenta?",
    "Quiero configurar una dirección de envío en mi perfil.",
    "¿Cobran algo por cancelar un pedido?",
    "¿Hay cargo por cancelación?",
    "Necesito una factura de mi compra.",
    "¿Qué métodos de pago aceptan?",
    "Mi pago fue rechazado.",
    "Olvidé mi contraseña.",
    "No puedo iniciar sesión.",
    "¿Cómo creo una cuenta?",
    "Quiero eliminar mi cuenta.",
    "Quiero darme de baja del boletín.",
    "Quiero poner una queja.",
    "¿Puedo hablar con una persona?",
    "¿Cuánto tarda el envío?",
    "¿Cuánto cuesta el envío a {country}?",
    "¿Tienen el {item} en talla M?",
    "Mi código de descuento no funciona.",
    "¿Cuál es su política de devoluciones?",
    "¿Venden al por mayor?",
]

# --- Round 3 (issue 4, third pass): own wording for the weak spots (see phrases_en.py). ---
REQUESTS["cancel"] += [
    "Necesito cancelar una compra.",
    "quiero anular mi pedido {order}",
    "¿Cómo cancelo la compra que hice {when}?",
    "Ya no quiero el pedido, cancélenlo por favor.",
    "Tengo que cancelar una compra, ¿me ayudan?",
    "cancelen la transacción {order} por favor",
]
REQUESTS["refund"] += [
    "Quiero que me devuelvan el dinero.",
    "¿Cuándo recibo mi reembolso?",
    "¿Ya procesaron mi reembolso?",
    "Mi reembolso todavía no ha llegado.",
    "Necesito un reembolso de {amount}.",
    "¿Cómo pido un reembolso?",
    "¿En qué estado está mi reembolso?",
    "quiero recuperar mi dinero",
]
OTHER += [
    "¿Dónde está mi pedido {order}?",
    "¿Ya enviaron mi compra?",
    "Quiero el número de seguimiento de mi compra.",
    "¿Cómo agrego otra dirección de envío a mi cuenta?",
    "Quiero configurar una dirección de entrega nueva en mi perfil.",
    "¿Dónde guardo mi dirección en la cuenta?",
]

# --- Round 4 (issue 4, fourth pass): our own synonyms, swapped in by build_corpus.py (see phrases_en.py). ---
SYNONYMS = [
    (r"\breembolso\b", ["reintegro", "devolución del dinero", "compensación", "abono", "devolución", "rembolso"]),
    (r"\bmi dinero\b", ["mi plata", "el dinero", "lo que pagué", "mi pago", "el importe"]),
    (r"\bpedido\b", ["compra", "orden", "paquete", "envío", "encargo", "transacción"]),
    (r"\bcancelar\b", ["anular", "suspender", "retirar", "dejar sin efecto", "revocar", "parar"]),
    (r"\bcancelación\b", ["anulación", "baja del pedido", "revocación", "suspensión"]),
    (
        r"\bdirección de envío\b",
        ["dirección de entrega", "domicilio de entrega", "datos de envío", "dirección postal", "lugar de entrega"],
    ),
    (r"\bcambiar\b", ["modificar", "corregir", "actualizar", "editar", "arreglar"]),
    (r"\bQuiero\b", ["Quisiera", "Necesito", "Me gustaría", "Deseo", "Quería"]),
]
REQUESTS["refund"] += [
    "Quiero que me devuelvan el dinero.",
    "¿Dónde está mi reintegro?",
    "¿Ya procesaron mi reembolso?",
    "Sigo esperando mi dinero.",
    "Necesito una compensación por el {item} roto.",
    "¿Hay novedades sobre mi devolución de dinero?",
]
OTHER += [
    "¿Cómo configuro una dirección de envío en mi perfil?",
    "Quiero modificar mi pedido, otra talla por favor.",
    "¿Dónde está mi pedido?",
    "Quiero eliminar mi cuenta.",
    "¿Cuánto tarda normalmente un reembolso?",
]

# --- Round 5 (issue 4, fifth pass): look-alikes con palabras de cancelar y de dirección que piden otra cosa
# (see phrases_en.py): cambiar artículos, seguir el pedido, borrar la cuenta, gastos y política de cancelación,
# añadir una dirección a la cuenta, darse de baja del boletín o de la membresía, "no cancelen". Chat y correo.
LOOKALIKES["cancel"] += [
    "¿Cuánto cuesta cancelar un pedido?",
    "¿hay penalización por cancelar?",
    "¿Dónde puedo leer las condiciones de cancelación?",
    "¿Se pueden cancelar las preventas sin coste?",
    "Hola, antes de comprar quería saber: si cancelo el pedido más adelante, ¿me cobran algo? Gracias.",
    "cancelar boletín porfa",
    "Quiero cancelar la suscripción al boletín, no el pedido.",
    "Quiero cancelar mi cuenta, el pedido abierto puede seguir.",
    "cancelen mi cuenta y borren mis datos",
    "¿Cómo cancelo mi membresía del club?",
    "¿Por qué ya no puedo cancelar mi pedido en la web?",
]
LOOKALIKES["address_fix"] += [
    "como añado una dirección a mi cuenta",
    "Quiero guardar la dirección de mi trabajo en la cuenta para la próxima vez.",
    "¿Dónde registro una dirección de envío antes de comprar?",
    "¿Puedo tener una segunda dirección en mi perfil?",
    "Hola, acabo de crear una cuenta. ¿Dónde pongo mi dirección para futuros pedidos? Gracias.",
    "No me deja guardar la dirección en la configuración de la cuenta.",
    "Quiero cambiar el correo electrónico de mi cuenta.",
]
NEGATIONS["cancel"] += [
    "no cancelen nada porfa, sigo queriendo el {item}",
    "Nunca pedí cancelar, por favor mantengan mi pedido.",
    "Hola, ignoren mi correo anterior. Al final no quiero cancelar el pedido {order}. ¡Gracias!",
]
NEGATIONS["refund"] += ["No quiero un reembolso, solo el {item} que falta."]
GROUPS["other"] += [
    (
        "S",
        ["añadir", "guardar", "registrar", "configurar"],
        ["una dirección en mi cuenta", "la dirección de mi trabajo en el perfil", "una segunda dirección"],
    ),
    (
        "",
        ["cambiar", "modificar"],
        ["la talla de mi pedido", "el color del {item} de mi pedido", "un artículo de mi pedido"],
    ),
    ("", ["borrar", "eliminar", "cerrar", "cancelar"], ["mi cuenta", "mi perfil y mis datos", "mi cuenta de cliente"]),
    (
        "",
        ["cancelar", "dar de baja"],
        ["el boletín", "los correos de publicidad", "mi membresía", "los avisos por SMS"],
    ),
]
OTHER += [
    "¿Puedo cambiar la talla del {item} en mi pedido?",
    "¿Me pueden añadir otro {item} al pedido {order}?",
    "¿Dónde está mi paquete? El seguimiento no avanza.",
    "número de seguimiento del pedido {order} porfa",
    "Borren mi cuenta, por favor.",
]
REQUESTS["cancel"] += [
    "Cancelen el pedido aunque haya que pagar la penalización.",
    "Quiten el {item} de mi pedido, ya no lo quiero.",
]
REQUESTS["address_fix"] += ["Envíen el pedido {order} a la dirección nueva que acabo de añadir en mi cuenta."]
COMBOS[("duplicate", "cancel")] += [
    "Me cobraron dos veces el mismo pedido, cancelen uno.",
    "pedido duplicado, cancelen el segundo",
]
