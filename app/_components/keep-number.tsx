// A sentence with an order number in it ("Заказ 261203-50F3C100 оплачен"): the number, which
// holds a hyphen, never breaks across lines, and on a 320-px phone the browser would break it
// there (or, in a narrow column, inside it).
import { Fragment, type ReactNode } from 'react';
import ui from './ui.module.css';

export function withKeptNumber(text: string, number: string): ReactNode {
  // One span around it all: in a flex container (a link laid out as one) the parts would be flex
  // items, and the space before the number would be dropped.
  return (
    <span>
      {text.split(number).map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <span className={ui.keep}>{number}</span>}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
