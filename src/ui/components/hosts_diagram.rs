use yew::prelude::*;

/// One host as the diagram draws it.
#[derive(Clone, PartialEq)]
pub struct HostCard {
    pub label: AttrValue,
    pub name: AttrValue,
    /// Its services and ports ("smtp 25 · submission 587"), or what it is if it has none.
    pub services: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct HostsDiagramProps {
    pub hosts: Vec<HostCard>,
}

const CARD_WIDTH: i32 = 190;
const CARD_HEIGHT: i32 = 74;
const GAP: i32 = 24;

/// The hosts of a scenario, left to right in the order the scenario lists them.
#[function_component(HostsDiagram)]
pub fn hosts_diagram(props: &HostsDiagramProps) -> Html {
    let n = props.hosts.len() as i32;
    let width = (n * (CARD_WIDTH + GAP) - GAP).max(CARD_WIDTH);
    html! {
        <svg class="hosts-diagram" viewBox={format!("0 0 {width} {CARD_HEIGHT}")} role="img" aria-label="The hosts of this scenario">
            { for props.hosts.iter().enumerate().map(|(i, h)| {
                let x = i as i32 * (CARD_WIDTH + GAP);
                html! {
                    <g class="host" key={h.name.as_str()} transform={format!("translate({x} 0)")}>
                        <rect width={CARD_WIDTH.to_string()} height={CARD_HEIGHT.to_string()} rx="8" />
                        <text class="host-label" x="10" y="24">{ h.label.clone() }</text>
                        <text class="host-name" x="10" y="44">{ h.name.clone() }</text>
                        <text class="host-services" x="10" y="62">{ h.services.clone() }</text>
                    </g>
                }
            }) }
        </svg>
    }
}
