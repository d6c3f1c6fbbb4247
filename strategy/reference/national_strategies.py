"""National strategies the guidance tells senior leaders to take into account (shipped as data)."""

NATIONAL_STRATEGIES = [
    # short name, name, description, order
    (
        "SPR",
        "Strategic Policing Requirement",
        "The Home Secretary's statement of the national threats forces must help counter.",
        10,
    ),
    (
        "SOC",
        "Home Office serious and organised crime strategy",
        "The government's 4P approach to serious and organised crime.",
        20,
    ),
    (
        "NPS",
        "Slavery and Trafficking National Policing Standards",
        "The standards policing is expected to meet when responding to modern slavery.",
        30,
    ),
    (
        "PRAP",
        "Police Race Action Plan",
        "The national plan to make policing anti-racist and improve outcomes for Black people.",
        40,
    ),
    (
        "VAWG",
        "Violence against women and girls strategy",
        "The national strategy and policing framework for tackling violence against women and girls.",
        50,
    ),
]
