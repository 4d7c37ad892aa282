use yew::prelude::*;

/// One host as the diagram draws it.
#[derive(Clone, PartialEq)]
pub struct HostCard {
    pub label: AttrValue,
    pub name: AttrValue,
    /// Its services with their ports ("submission 587"), one per line; what it is if it has none.
    pub services: Vec<AttrValue>,
}

#[derive(Properties, PartialEq)]
pub struct HostsDiagramProps {
    pub hosts: Vec<HostCard>,
}

const CARD_WIDTH: i32 = 190;
const LINE: i32 = 14;
const GAP: i32 = 24;

/// The hosts of a scenario, left to right in the order the scenario lists them.
#[function_component(HostsDiagram)]
pub fn hosts_diagram(props: &HostsDiagramProps) -> Html {
    let n = props.hosts.len() as i32;
    let width = (n * (CARD_WIDTH + GAP) - GAP).max(CARD_WIDTH);
    let lines = props.hosts.iter().map(|h| h.services.len() as i32).max().unwrap_or(1);
    let height = 58 + lines * LINE;
    html! {
        <svg class="hosts-diagram" viewBox={format!("0 0 {width} {height}")} role="img" aria-label="The hosts of this scenario">
            { for props.hosts.iter().enumerate().map(|(i, h)| {
                let x = i as i32 * (CARD_WIDTH + GAP);
                html! {
                    <g class="host" key={h.name.as_str()} transform={format!("translate({x} 0)")}>
                        <rect width={CARD_WIDTH.to_string()} height={height.to_string()} rx="8" />
                        <text class="host-label" x="10" y="24">{ h.label.clone() }</text>
                        <text class="host-name" x="10" y="44">{ h.name.clone() }</text>
                        { for h.services.iter().enumerate().map(|(j, s)| html! {
                            <text class="host-services" x="10" y={(62 + j as i32 * LINE).to_string()}>{ s.clone() }</text>
                        }) }
                    </g>
                }
            }) }
        </svg>
    }
}
